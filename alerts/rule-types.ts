/** The shapes of a Prometheus rule file (https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/). */

export interface RecordingRule { record: string; expr: string; labels?: Record<string, string> }

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup { name: string; interval: string; rules: Rule[] }

export interface RuleFile { groups: RuleGroup[] }

/** The alert names of SPEC.md: users route on them, so they are a contract. */
export const ALERT_NAMES = [
  'VigilHighLatencyP99', 'VigilErrorBudgetBurn', 'VigilDriftDetected', 'VigilParityDegraded',
  'VigilMemoryLeak', 'VigilGPUUtilizationHigh', 'VigilGPUMemoryNearFull',
  'VigilGPUCollectorFailing', 'VigilTargetDown', 'VigilLoadTestRegression',
  'VigilDriftEvaluationFailing', 'VigilDriftStale',
] as const;

export type AlertName = (typeof ALERT_NAMES)[number];
