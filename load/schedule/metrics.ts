import { Counter, Gauge, type Registry } from 'prom-client';
import type { ScenarioState } from './state.ts';

const QUANTILES: [string, 'p50' | 'p95' | 'p99'][] = [['0.5', 'p50'], ['0.95', 'p95'], ['0.99', 'p99']];

/**
 * The `vigil_loadtest_*` series (SPEC "Scheduled load"), registered on the registry passed in and
 * filled at scrape time from the scheduler's state. Every series carries `scenario` and `model`.
 */
export function registerScheduleMetrics(registry: Registry, states: () => readonly ScenarioState[]): void {
  const labels = ['scenario', 'model'] as const;
  const each = (fn: (s: ScenarioState, l: { scenario: string; model: string }) => void): void => {
    for (const s of states()) fn(s, { scenario: s.name, model: s.model });
  };
  new Gauge({
    name: 'vigil_loadtest_latency_seconds', help: 'Latency quantile of the last completed scheduled run, seconds',
    labelNames: [...labels, 'quantile'], registers: [registry],
    collect() { this.reset(); each((s, l) => { if (s.last) for (const [q, k] of QUANTILES) this.set({ ...l, quantile: q }, s.last.figures[k] / 1000); }); },
  });
  new Gauge({
    name: 'vigil_loadtest_qps', help: 'Achieved requests/s of the last completed scheduled run', labelNames: labels, registers: [registry],
    collect() { this.reset(); each((s, l) => { if (s.last) this.set(l, s.last.figures.qps); }); },
  });
  new Gauge({
    name: 'vigil_loadtest_error_ratio', help: 'Errors / requests of the last completed scheduled run (0.01 = 1 %)', labelNames: labels, registers: [registry],
    collect() { this.reset(); each((s, l) => { if (s.last) this.set(l, s.last.figures.errorRate); }); },
  });
  new Gauge({
    name: 'vigil_loadtest_passed', help: '1 when the last run met its thresholds and did not regress against the baseline, else 0', labelNames: labels, registers: [registry],
    collect() { this.reset(); each((s, l) => { if (s.last) this.set(l, s.last.passed ? 1 : 0); }); },
  });
  new Gauge({
    name: 'vigil_loadtest_regression', help: '1 when the last run regressed against its baseline, else 0', labelNames: labels, registers: [registry],
    collect() { this.reset(); each((s, l) => { if (s.last) this.set(l, s.last.regressed ? 1 : 0); }); },
  });
  new Gauge({
    name: 'vigil_loadtest_last_run_timestamp_seconds', help: 'Unix time the last scheduled run ended, seconds', labelNames: labels, registers: [registry],
    collect() { this.reset(); each((s, l) => { if (s.last) this.set(l, s.last.endedAtS); }); },
  });
  new Gauge({
    name: 'vigil_loadtest_running', help: '1 while a run of the scenario is in progress', labelNames: labels, registers: [registry],
    collect() { this.reset(); each((s, l) => this.set(l, s.running ? 1 : 0)); },
  });
  new Gauge({
    name: 'vigil_loadtest_capacity_qps', help: 'Max sustainable requests/s under the SLO from the last scheduled capacity search (0 when no load met it)',
    labelNames: labels, registers: [registry],
    collect() { this.reset(); each((s, l) => { if (s.capacity && !s.capacity.aborted) this.set(l, s.capacity.maxSustainableQps ?? 0); }); },
  });
  new Counter({
    name: 'vigil_loadtest_runs_total', help: 'Scheduled runs by outcome (passed, failed, aborted)', labelNames: [...labels, 'outcome'], registers: [registry],
    collect() { this.reset(); each((s, l) => { for (const o of ['passed', 'failed', 'aborted'] as const) this.inc({ ...l, outcome: o }, s.runs[o]); }); },
  });
  new Counter({
    name: 'vigil_loadtest_skipped_runs_total', help: 'Cron ticks skipped because the previous run of the scenario was still going', labelNames: labels, registers: [registry],
    collect() { this.reset(); each((s, l) => this.inc(l, s.skipped)); },
  });
}
