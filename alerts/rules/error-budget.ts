import type { BurnRate, SloConfig } from '../slo-schema.ts';
import type { AlertingRule, RecordingRule } from '../rule-types.ts';
import { alertRule } from '../alert-rule.ts';
import { promDuration } from '../promql-format.ts';
import { burnRateThreshold, errorBudgetPercent, timesHundred } from '../decimal.ts';

const REQUESTS = 'vigil_upstream_requests_total';

export function errorRatioRecordName(windowMs: number): string {
  return `vigil:upstream_error_ratio:rate${promDuration(windowMs)}`;
}

/** Every window any burn-rate alert needs, shortest first, without duplicates. */
function windows(config: SloConfig): number[] {
  const all = config.availability.burnRates.flatMap((b) => [b.long, b.short]);
  return [...new Set(all)].sort((a, b) => a - b);
}

/** Ratio of failed requests (code matching `errorCodes`) per job and model, one rule per window. */
export function errorRatioRecordingRules(config: SloConfig): RecordingRule[] {
  const codes = JSON.stringify(config.availability.errorCodes);
  return windows(config).map((ms) => {
    const w = promDuration(ms);
    return {
      record: errorRatioRecordName(ms),
      expr: `sum by (job, model) (rate(${REQUESTS}{code=~${codes}}[${w}])) / sum by (job, model) (rate(${REQUESTS}[${w}]))`,
    };
  });
}

/**
 * Multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs"): the long window
 * proves the burn is significant, the short one that it is still going on (fast reset).
 */
export function errorBudgetBurnAlerts(config: SloConfig): AlertingRule[] {
  return config.availability.burnRates.map((b) => burnAlert(config, b));
}

function burnAlert(config: SloConfig, b: BurnRate): AlertingRule {
  const objective = config.availability.objective;
  const threshold = burnRateThreshold(objective, b.factor);
  const days = String(Number((30 / b.factor).toPrecision(3)));
  const long = promDuration(b.long);
  const short = promDuration(b.short);
  return alertRule(config, {
    alert: 'VigilErrorBudgetBurn',
    expr: `${errorRatioRecordName(b.long)} > ${threshold} and ${errorRatioRecordName(b.short)} > ${threshold}`,
    forMs: b.for,
    severity: b.severity,
    labels: { long_window: long, short_window: short },
    summary: `Model {{ $labels.model }} is burning its error budget ${b.factor}x too fast (${objective}% objective)`,
    description: `{{ $value | humanizePercentage }} of the requests to model {{ $labels.model }} (job {{ $labels.job }}) failed over the last ${long}, and more than ${timesHundred(threshold)}% over the last ${short}: ${b.factor} times the ${errorBudgetPercent(objective)}% error budget of the ${objective}% objective, which would spend a 30-day budget in ${days} days.`,
  });
}
