import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { vigilDashboard } from './common.ts';
import type { SloLines } from '../slo-lines.ts';
import { datasourceVariable, jobAndModelVariables, labelVariable } from '../datasource.ts';
import { memoryByTargetPanel } from '../panels/memory-by-target.ts';
import { memoryGrowthPanel } from '../panels/memory-growth.ts';
import { memoryExhaustionPanel } from '../panels/memory-exhaustion.ts';
import { memoryLeakVerdictPanel } from '../panels/memory-leak-verdict.ts';
import { gpuMemoryPanel } from '../panels/gpu-memory.ts';
import { gpuUtilizationPanel } from '../panels/gpu-utilization.ts';
import { gpuTemperaturePanel } from '../panels/gpu-temperature.ts';
import { collectorsPanel } from '../panels/collectors.ts';

/** Memory (with leak trend and time to exhaustion) and GPUs of the watched targets. */
export function resourcesDashboard(slo: SloLines): dashboard.Dashboard {
  return vigilDashboard('vigil-resources', 'vigil / Resources', 'Memory of the watched targets with growth slope, leak verdict and time to exhaustion; GPU memory, utilisation and temperature.')
    .variables([
      datasourceVariable(),
      ...jobAndModelVariables('vigil_memory_bytes'),
      labelVariable('target', 'Target', 'vigil_memory_bytes', '{job=~"$job"}'),
    ])
    .withRow(new dashboard.RowBuilder('Memory'))
    .withPanel(memoryByTargetPanel())
    .withPanel(memoryGrowthPanel(slo.maxGrowthBytesPerSecond))
    .withPanel(memoryLeakVerdictPanel())
    .withPanel(memoryExhaustionPanel())
    .withRow(new dashboard.RowBuilder('GPU'))
    .withPanel(gpuMemoryPanel(slo.gpuMemory))
    .withPanel(gpuUtilizationPanel(slo.gpuUtilization))
    .withPanel(gpuTemperaturePanel())
    .withPanel(collectorsPanel())
    .build();
}
