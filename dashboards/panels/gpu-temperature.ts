import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { jobSel, promQuery } from '../query.ts';
import { tableLegend, thresholdAt } from '../field-config.ts';

/** GPU temperature; above ~85 °C most cards throttle their clocks. */
export function gpuTemperaturePanel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('GPU temperature')
    .description('vigil_gpu_temperature_celsius per GPU. Most data-centre GPUs throttle their clocks above about 85 °C.')
    .datasource(DATASOURCE)
    .unit('celsius')
    .thresholds(thresholdAt(85, 'red', 'green'))
    .legend(tableLegend('max', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_gpu_temperature_celsius${jobSel()}`, 'GPU {{gpu}} {{instance}}'))
    .height(8).span(8);
}
