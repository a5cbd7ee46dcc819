import type { SloConfig } from '../slo-schema.ts';
import type { AlertingRule, RecordingRule } from '../rule-types.ts';
import { alertRule } from '../alert-rule.ts';
import { promDuration, promSeconds } from '../promql-format.ts';

const HISTOGRAM = 'vigil_upstream_request_duration_seconds_bucket';

/** Name of the recorded latency quantile, e.g. `vigil:upstream_request_duration_seconds:p99_rate5m`. */
export function latencyRecordName(quantile: number, windowMs: number): string {
  return `vigil:upstream_request_duration_seconds:p${Math.round(quantile * 100)}_rate${promDuration(windowMs)}`;
}

/** P50/P95/P99 of the proxied requests per job and model, from the histogram buckets. */
export function latencyRecordingRules(config: SloConfig): RecordingRule[] {
  const w = promDuration(config.latency.window);
  return [0.5, 0.95, 0.99].map((q) => ({
    record: latencyRecordName(q, config.latency.window),
    expr: `histogram_quantile(${q}, sum by (job, model, le) (rate(${HISTOGRAM}[${w}])))`,
  }));
}

export function highLatencyAlert(config: SloConfig): AlertingRule {
  const { p99, window } = config.latency;
  return alertRule(config, {
    alert: 'VigilHighLatencyP99',
    expr: `${latencyRecordName(0.99, window)} > ${promSeconds(p99)}`,
    forMs: config.latency.for,
    severity: 'warning',
    summary: 'P99 latency of model {{ $labels.model }} is above ' + promDuration(p99),
    description: `P99 latency of model {{ $labels.model }} (job {{ $labels.job }}) over the last ${promDuration(window)} is {{ $value | humanizeDuration }}, above the ${promDuration(p99)} objective.`,
  });
}
