import type { SloConfig } from '../slo-schema.ts';
import type { AlertingRule } from '../rule-types.ts';
import { alertRule } from '../alert-rule.ts';
import { promDuration } from '../promql-format.ts';

/** The monitor's own series that say its drift verdict is withdrawn (older than its `staleAfter`). */
const STALE = 'vigil_drift_stale == 1';

/**
 * A drift or parity alert must not fire on a stale verdict: the monitor withdraws those gauges when
 * the verdict is older than its `staleAfter`, but `avg_over_time` would still average the samples
 * left in its window. Wraps any rule built from those gauges (composes with changes to the rule itself).
 */
export function unlessStale(rule: AlertingRule): AlertingRule {
  return { ...rule, expr: `(${rule.expr}) unless on (job, instance, model) (${STALE})` };
}

/**
 * The monitor stopped watching: its evaluations keep failing with no success in between (it says why in /v1/status and
 * /readyz), or its verdict is stale — no successful evaluation within its `staleAfter` while traffic
 * was expected (a monitor on a model that is idle at night can raise `staleAfter` or drop the rule).
 */
export function evaluationHealthAlerts(config: SloConfig): AlertingRule[] {
  const { failingWindow, failingFor, staleFor } = config.driftHealth;
  const w = promDuration(failingWindow);
  return [
    alertRule(config, {
      alert: 'VigilDriftEvaluationFailing',
      // Failures and no success over the window: a burst that the next evaluations recover from does not page.
      expr: `(sum by (job, instance, model) (increase(vigil_drift_evaluation_errors_total[${w}])) > 0) unless on (job, instance, model) (sum by (job, instance, model) (increase(vigil_drift_evaluations_total{result="ok"}[${w}])) > 0)`,
      forMs: failingFor,
      severity: 'warning',
      summary: 'Drift evaluations of model {{ $labels.model }} are failing',
      description: `{{ $value | humanize }} drift evaluations of model {{ $labels.model }} (job {{ $labels.job }}, instance {{ $labels.instance }}) failed over the last ${w} and none succeeded: the monitor is not watching. GET /v1/status gives the reason; /readyz is 503 meanwhile.`,
    }),
    alertRule(config, {
      alert: 'VigilDriftStale',
      expr: `max by (job, instance, model) (${STALE})`,
      forMs: staleFor,
      severity: 'warning',
      summary: 'The drift verdict of model {{ $labels.model }} is stale',
      description: 'Model {{ $labels.model }} (job {{ $labels.job }}, instance {{ $labels.instance }}) has had no successful drift evaluation within the monitor\'s staleAfter: no traffic reaches the monitor, or evaluations fail. Drift and parity gauges are withdrawn until the next evaluation.',
    }),
  ];
}
