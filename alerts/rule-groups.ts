import type { SloConfig } from './slo-schema.ts';
import type { RuleFile } from './rule-types.ts';
import { promDuration } from './promql-format.ts';
import { latencyRecordingRules, highLatencyAlert } from './rules/latency.ts';
import { errorRatioRecordingRules, errorBudgetBurnAlerts } from './rules/error-budget.ts';
import { driftAlert } from './rules/drift.ts';
import { parityAlert } from './rules/parity.ts';
import { memoryLeakAlerts } from './rules/memory.ts';
import { gpuAlerts } from './rules/gpu.ts';
import { targetDownAlert } from './rules/target-down.ts';
import { loadTestRegressionAlert } from './rules/load-test.ts';

/** All of vigil's recording and alerting rules for one config, grouped by concern. */
export function buildRuleFile(config: SloConfig): RuleFile {
  const interval = promDuration(config.evaluationInterval);
  return {
    groups: [
      { name: 'vigil.recording', interval, rules: [...latencyRecordingRules(config), ...errorRatioRecordingRules(config)] },
      { name: 'vigil.endpoint', interval, rules: [highLatencyAlert(config), ...errorBudgetBurnAlerts(config), targetDownAlert(config)] },
      { name: 'vigil.drift', interval, rules: [driftAlert(config), parityAlert(config)] },
      { name: 'vigil.resources', interval, rules: [...memoryLeakAlerts(config), ...gpuAlerts(config)] },
      { name: 'vigil.loadtest', interval, rules: [loadTestRegressionAlert(config)] },
    ],
  };
}
