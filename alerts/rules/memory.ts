import type { SloConfig } from '../slo-schema.ts';
import type { AlertingRule } from '../rule-types.ts';
import { alertRule } from '../alert-rule.ts';
import { formatBytes } from '../../common/index.ts';
import { promDuration, promNumber, promSeconds } from '../promql-format.ts';

const RSS = 'vigil_memory_bytes{kind="rss"}';

/**
 * Three independent signs of a leak, one rule each under the same alert name (label `reason`):
 * the watcher's own verdict (Theil–Sen slope + Mann–Kendall), Prometheus' predict_linear reaching
 * the limit within the horizon, and raw growth faster than `maxGrowth`. A GC sawtooth has no
 * trend, so none of them holds for `for`.
 */
export function memoryLeakAlerts(config: SloConfig): AlertingRule[] {
  const m = config.memory;
  const where = 'target {{ $labels.target }} (job {{ $labels.job }})';
  return [
    alertRule(config, {
      alert: 'VigilMemoryLeak',
      expr: 'vigil_memory_growth_bytes_per_second and on (job, instance, target) (vigil_memory_leak_suspected == 1)',
      forMs: m.for,
      severity: 'warning',
      labels: { reason: 'watcher-verdict' },
      summary: 'Memory leak suspected on {{ $labels.target }}',
      description: `The leak watcher reports a significant upward memory trend on ${where}: it grows by {{ $value | humanize1024 }}B/s.`,
    }),
    alertRule(config, {
      alert: 'VigilMemoryLeak',
      expr: `predict_linear(${RSS}[${promDuration(m.predictWindow)}], ${promSeconds(m.horizon)}) > ${promNumber(m.limit)}`,
      forMs: m.for,
      severity: 'critical',
      labels: { reason: 'predicted-exhaustion' },
      summary: 'Memory of {{ $labels.target }} will reach its limit within ' + promDuration(m.horizon),
      description: `At the trend of the last ${promDuration(m.predictWindow)}, the resident memory of ${where} will be {{ $value | humanize1024 }}B in ${promDuration(m.horizon)}, above the limit of ${formatBytes(m.limit)}.`,
    }),
    alertRule(config, {
      alert: 'VigilMemoryLeak',
      expr: `deriv(${RSS}[${promDuration(m.growthWindow)}]) > ${promNumber(m.maxGrowth)}`,
      forMs: m.for,
      severity: 'warning',
      labels: { reason: 'growth-rate' },
      summary: 'Memory of {{ $labels.target }} grows fast',
      description: `The resident memory of ${where} grew by {{ $value | humanize1024 }}B/s over the last ${promDuration(m.growthWindow)}, faster than ${formatBytes(m.maxGrowth)}/s.`,
    }),
  ];
}
