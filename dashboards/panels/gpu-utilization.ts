import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { jobSel, promQuery } from '../query.ts';
import { dashedThresholds, tableLegend, thresholdAt } from '../field-config.ts';
import { percentText } from '../slo-lines.ts';

/** GPU busy share; dashed = the 90 % utilisation alert threshold. */
export function gpuUtilizationPanel(high: number): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('GPU utilisation')
    .description(`vigil_gpu_utilization_ratio per GPU. Dashed line: ${percentText(high)} %; sustained, it fires VigilGPUUtilizationHigh.`)
    .datasource(DATASOURCE)
    .unit('percentunit')
    .min(0)
    .max(1)
    .thresholds(thresholdAt(high))
    .thresholdsStyle(dashedThresholds())
    .legend(tableLegend('mean', 'max', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_gpu_utilization_ratio${jobSel()}`, 'GPU {{gpu}} {{instance}}'))
    .height(8).span(8);
}
