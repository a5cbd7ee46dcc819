import type { SloConfig } from '../slo-schema.ts';
import type { AlertingRule } from '../rule-types.ts';
import { alertRule } from '../alert-rule.ts';
import { promDuration } from '../promql-format.ts';

/** A vigil scrape target (monitor, watcher, scheduler) that Prometheus cannot scrape. */
export function targetDownAlert(config: SloConfig): AlertingRule {
  return alertRule(config, {
    alert: 'VigilTargetDown',
    expr: `up{job=~${JSON.stringify(config.targetDown.jobRegex)}} == 0`,
    forMs: config.targetDown.for,
    severity: 'critical',
    summary: 'vigil target {{ $labels.instance }} is down',
    description: `Prometheus has failed to scrape {{ $labels.instance }} of job {{ $labels.job }} for ${promDuration(config.targetDown.for)}: no drift, parity or resource alert can fire for it.`,
  });
}
