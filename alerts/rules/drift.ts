import type { SloConfig } from '../slo-schema.ts';
import type { AlertingRule } from '../rule-types.ts';
import { alertRule } from '../alert-rule.ts';
import { promDuration } from '../promql-format.ts';

/**
 * Fires on the monitor's online drift detector (`vigil_drift_alarm`): its false-alarm rate is set
 * by its ERT (expected samples between false alarms on healthy traffic), so the rule needs no
 * averaging over evaluations — it fires at the first scrape that sees the alarm. `window` is a
 * look-back, not an average: the alert stays up that long after the alarm last showed, so an
 * alarm raised and cleared between two scrapes still fires, and a clearing drift does not flap.
 */
export function driftAlert(config: SloConfig): AlertingRule {
  const w = promDuration(config.drift.window);
  return alertRule(config, {
    alert: 'VigilDriftDetected',
    expr: `max_over_time(vigil_drift_alarm[${w}]) >= 1`,
    forMs: config.drift.for,
    severity: 'warning',
    summary: 'Drift on model {{ $labels.model }}',
    description: `The online drift detector of model {{ $labels.model }}, job {{ $labels.job }}, raised its alarm within the last ${w}: the family statistic of a window of live inputs (and reference-model outputs) reached the threshold calibrated for the configured expected run time between false alarms (vigil_drift_online_statistic vs vigil_drift_online_threshold).`,
  });
}
