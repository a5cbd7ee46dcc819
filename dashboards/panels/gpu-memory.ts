import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { jobSel, promQuery } from '../query.ts';
import { dashedThresholds, tableLegend, thresholdAt } from '../field-config.ts';
import { percentText } from '../slo-lines.ts';

/** Used share of each GPU's memory; dashed = the near-full alert threshold. */
export function gpuMemoryPanel(nearFull: number): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('GPU memory used')
    .description(`vigil_gpu_memory_used_bytes / vigil_gpu_memory_total_bytes per GPU. Dashed line: ${percentText(nearFull)} % (VigilGPUMemoryNearFull).`)
    .datasource(DATASOURCE)
    .unit('percentunit')
    .min(0)
    .max(1)
    .thresholds(thresholdAt(nearFull))
    .thresholdsStyle(dashedThresholds())
    .legend(tableLegend('max', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_gpu_memory_used_bytes${jobSel()} / vigil_gpu_memory_total_bytes${jobSel()}`, 'GPU {{gpu}} {{instance}}'))
    .height(8).span(8);
}
