import { Counter, Gauge, type Registry } from 'prom-client';
import type { EvaluationHealth } from './state/health.ts';

/**
 * The series that say whether the drift verdict can be trusted: evaluation failures, when the last
 * successful evaluation was, and whether its verdict is stale. Registered on the registry passed
 * in; the timestamp and the stale flag are set at scrape time from `health`.
 */
export function createHealthMetrics(registry: Registry, model: string, health: EvaluationHealth) {
  const registers = [registry];
  const errors = new Counter({ name: 'vigil_drift_evaluation_errors_total', help: 'Drift evaluations that failed (the last error is in GET /v1/status; the stack in the log).', labelNames: ['model'], registers });
  // prom-client: a labelled counter has no series until its first increment; start at 0 so `increase()` sees the first failure.
  errors.inc({ model }, 0);
  new Gauge({
    name: 'vigil_drift_last_evaluation_timestamp_seconds',
    help: 'Unix time of the last successful drift evaluation: the age of the drift and parity gauges (absent before the first one).',
    labelNames: ['model'], registers,
    collect() {
      const at = health.lastEvaluationAtMs;
      if (at === undefined) this.reset();
      else this.set({ model }, at / 1000);
    },
  });
  new Gauge({
    name: 'vigil_drift_stale',
    help: '1 when the drift verdict is older than staleAfter (or none was reached within staleAfter): drift and parity gauges are then withdrawn.',
    labelNames: ['model'], registers,
    collect() { this.set({ model }, health.stale() ? 1 : 0); },
  });
  new Gauge({
    name: 'vigil_drift_degraded',
    help: '1 while the last drift evaluation failed (GET /readyz 503, /v1/status "degraded"), 0 once one succeeds.',
    labelNames: ['model'], registers,
    collect() { this.set({ model }, health.failing ? 1 : 0); },
  });
  return {
    evaluationError(): void { errors.inc({ model }); },
  };
}

export type HealthMetrics = ReturnType<typeof createHealthMetrics>;
