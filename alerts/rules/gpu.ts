import type { SloConfig } from '../slo-schema.ts';
import type { AlertingRule } from '../rule-types.ts';
import { alertRule } from '../alert-rule.ts';
import { promDuration, promNumber } from '../promql-format.ts';

export function gpuAlerts(config: SloConfig): AlertingRule[] {
  const g = config.gpu;
  return [
    alertRule(config, {
      alert: 'VigilGPUUtilizationHigh',
      expr: `vigil_gpu_utilization_ratio > ${promNumber(g.utilization)}`,
      forMs: g.utilizationFor,
      severity: 'warning',
      summary: 'GPU {{ $labels.gpu }} is saturated',
      description: `GPU {{ $labels.gpu }} on {{ $labels.instance }} has been more than ${promNumber(g.utilization * 100)}% busy for ${promDuration(g.utilizationFor)}; it is at {{ $value | humanizePercentage }}.`,
    }),
    alertRule(config, {
      alert: 'VigilGPUMemoryNearFull',
      expr: `vigil_gpu_memory_used_bytes / vigil_gpu_memory_total_bytes > ${promNumber(g.memory)}`,
      forMs: g.memoryFor,
      severity: 'warning',
      summary: 'GPU {{ $labels.gpu }} memory is nearly full',
      description: `GPU {{ $labels.gpu }} on {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its memory (threshold ${promNumber(g.memory * 100)}%).`,
    }),
    alertRule(config, {
      alert: 'VigilGPUCollectorFailing',
      expr: 'vigil_gpu_collect_success == 0',
      forMs: g.collectorFor,
      severity: 'warning',
      summary: 'GPU metrics of {{ $labels.instance }} cannot be collected',
      description: `The GPU collector of {{ $labels.instance }} (job {{ $labels.job }}) has failed for ${promDuration(g.collectorFor)} (nvidia-smi missing or failing, or dcgm-exporter unreachable); GPU alerts cannot fire while it fails.`,
    }),
  ];
}
