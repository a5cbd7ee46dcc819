import type { AlertName, AlertingRule } from './rule-types.ts';
import type { SloConfig } from './slo-schema.ts';
import { promDuration } from './promql-format.ts';

export interface AlertSpec {
  alert: AlertName;
  expr: string;
  forMs: number;
  severity: 'critical' | 'warning' | 'info';
  labels?: Record<string, string>;
  summary: string;
  /** Go template text; use `{{ $value | humanize... }}` so values read as units, not floats. */
  description: string;
}

/** One alerting rule with the annotations every vigil alert carries. */
export function alertRule(config: SloConfig, spec: AlertSpec): AlertingRule {
  return {
    alert: spec.alert,
    expr: spec.expr,
    for: promDuration(spec.forMs),
    labels: { severity: spec.severity, ...spec.labels, ...config.labels },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: `${config.runbookBaseUrl.replace(/\/+$/, '')}/${spec.alert}.md`,
    },
  };
}
