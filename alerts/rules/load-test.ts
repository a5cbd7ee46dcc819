import type { SloConfig } from '../slo-schema.ts';
import type { AlertingRule } from '../rule-types.ts';
import { alertRule } from '../alert-rule.ts';

/** The scheduler sets `vigil_loadtest_passed` to 0 when a run breaks its thresholds or regresses against its baseline. */
export function loadTestRegressionAlert(config: SloConfig): AlertingRule {
  return alertRule(config, {
    alert: 'VigilLoadTestRegression',
    expr: 'vigil_loadtest_passed == 0',
    forMs: config.loadTest.for,
    severity: 'warning',
    summary: 'Scheduled load test {{ $labels.scenario }} regressed',
    description: 'The last scheduled run of scenario {{ $labels.scenario }} (job {{ $labels.job }}) failed its thresholds or regressed against its baseline'
      + `${valueOf('vigil_loadtest_latency_seconds{scenario=%q,quantile="0.99"}', '; its P99 was ', 'humanizeDuration')}`
      + `${valueOf('vigil_loadtest_error_ratio{scenario=%q}', ', its error ratio ', 'humanizePercentage')}`
      + '. See the scheduler history and the Load tests dashboard.',
  });
}

/** A Go template that looks up another series of the same scenario and prints its value, if any. */
function valueOf(selector: string, prefix: string, humanizer: string): string {
  return `{{ with printf ${JSON.stringify(selector)} $labels.scenario | query }}${prefix}{{ . | first | value | ${humanizer} }}{{ end }}`;
}
