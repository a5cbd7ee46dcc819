import { Gauge, Registry } from 'prom-client';
import type { ProgressSnapshot } from './engine.ts';
import type { IntervalSummary } from './result.ts';

/**
 * A running `vigil load run`'s live metrics (`--metrics-port`), under the names the generated
 * load-test dashboard reads (`vigil_loadtest_*`, as `vigil schedule` serves them), labelled
 * `scenario` and `model`: the last finished second's latency quantiles and throughput, the error
 * ratio so far, and `running`. Values are set from the engine's hooks; prom-client reads them at
 * scrape time. Pure bookkeeping on the registry passed in; serving it is the caller's.
 */
export interface LiveLoadMetrics {
  onInterval(i: IntervalSummary): void;
  onProgress(p: ProgressSnapshot): void;
  finish(): void;
}

export function registerLiveLoadMetrics(registry: Registry, labels: { scenario: string; model: string }): LiveLoadMetrics {
  const latency = new Gauge({ name: 'vigil_loadtest_latency_seconds', help: 'Latency quantile of the last finished second of the running load test, seconds', labelNames: ['scenario', 'model', 'quantile'], registers: [registry] });
  const qps = new Gauge({ name: 'vigil_loadtest_qps', help: 'Completed requests/s in the last finished second of the running load test', labelNames: ['scenario', 'model'], registers: [registry] });
  const errors = new Gauge({ name: 'vigil_loadtest_error_ratio', help: 'Errors / requests so far in the running load test (0.01 = 1 %)', labelNames: ['scenario', 'model'], registers: [registry] });
  const running = new Gauge({ name: 'vigil_loadtest_running', help: '1 while the load test runs', labelNames: ['scenario', 'model'], registers: [registry] });
  running.set(labels, 1);
  return {
    onInterval(i) {
      qps.set(labels, i.qps);
      if (i.requests > i.errors) {
        latency.set({ ...labels, quantile: '0.5' }, i.latencyMs.p50 / 1000);
        latency.set({ ...labels, quantile: '0.95' }, i.latencyMs.p95 / 1000);
        latency.set({ ...labels, quantile: '0.99' }, i.latencyMs.p99 / 1000);
      }
    },
    onProgress(p) {
      errors.set(labels, p.requests > 0 ? p.errors / p.requests : 0);
    },
    finish() { running.set(labels, 0); },
  };
}

export { Registry };
