import type { SloConfig } from '../slo-schema.ts';
import type { AlertingRule } from '../rule-types.ts';
import { alertRule } from '../alert-rule.ts';
import { promDuration, promNumber } from '../promql-format.ts';

/**
 * Drift must be sustained: the share of evaluations that detected drift over `window` must stay
 * at or above `minFraction` for `for`. One noisy window (a false positive at p < alpha happens
 * in 1 of 20 clean evaluations at alpha = 0.05) cannot hold the average up.
 */
export function driftAlert(config: SloConfig): AlertingRule {
  const { window, minFraction } = config.drift;
  const w = promDuration(window);
  return alertRule(config, {
    alert: 'VigilDriftDetected',
    expr: `avg_over_time(vigil_drift_detected[${w}]) >= ${promNumber(minFraction)}`,
    forMs: config.drift.for,
    severity: 'warning',
    summary: 'Drift on model {{ $labels.model }}{{ with $labels.source }} {{ . }}{{ end }} ({{ $labels.test }} test)',
    description: `{{ $value | humanizePercentage }} of the {{ $labels.test }} drift evaluations of model {{ $labels.model }}{{ with $labels.source }} ({{ . }}){{ end }}, job {{ $labels.job }}, over the last ${w} detected drift against the reference set (alert threshold ${promNumber(minFraction * 100)}%).`,
  });
}
