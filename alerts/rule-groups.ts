import type { SloConfig } from './slo-schema.ts';
import type { RuleFile } from './rule-types.ts';
import { promDuration } from './promql-format.ts';
import { latencyRecordingRules, highLatencyAlert } from './rules/latency.ts';
import { errorRatioRecordingRules, errorBudgetBurnAlerts } from './rules/error-budget.ts';
import { driftAlert } from './rules/drift.ts';
import { parityAlert } from './rules/parity.ts';
import { evaluationHealthAlerts, unlessStale } from './rules/evaluation-health.ts';
import { memoryLeakAlerts } from './rules/memory.ts';
import { gpuAlerts } from './rules/gpu.ts';
import { targetDownAlert } from './rules/target-down.ts';
import { loadTestRegressionAlert } from './rules/load-test.ts';

/** All of vigil's recording and alerting rules for one config, grouped by concern. */
export function buildRuleFile(config: SloConfig): RuleFile {
  const interval = promDuration(config.evaluationInterval);
  return {
    groups: [
      // Recording rules sit in the same group as the alerts that read them: rules of a group run in
      // order, so an alert sees this evaluation's ratio, never the previous one's (groups run in
      // no fixed order relative to each other).
      {
        name: 'vigil.endpoint',
        interval,
        rules: [...latencyRecordingRules(config), ...errorRatioRecordingRules(config), highLatencyAlert(config), ...errorBudgetBurnAlerts(config), targetDownAlert(config)],
      },
      { name: 'vigil.drift', interval, rules: [unlessStale(driftAlert(config)), unlessStale(parityAlert(config)), ...evaluationHealthAlerts(config)] },
      { name: 'vigil.resources', interval, rules: [...memoryLeakAlerts(config), ...gpuAlerts(config)] },
      { name: 'vigil.loadtest', interval, rules: [loadTestRegressionAlert(config)] },
    ],
  };
}
