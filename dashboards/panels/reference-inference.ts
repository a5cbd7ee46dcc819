import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { histogramQuantile, promQuery } from '../query.ts';
import { tableLegend } from '../field-config.ts';

/** How long the monitor's own reference-model inference takes (its overhead, off the request path). */
export function referenceInferencePanel(): timeseries.PanelBuilder {
  const bucket = 'vigil_reference_inference_duration_seconds_bucket';
  return new timeseries.PanelBuilder()
    .title('Reference inference P50 / P99')
    .description('Duration of the monitor running the reference ONNX model on observed inputs (batched), from vigil_reference_inference_duration_seconds.')
    .datasource(DATASOURCE)
    .unit('s')
    .min(0)
    .legend(tableLegend('mean', 'max'))
    .withTarget(promQuery('A', histogramQuantile(0.5, bucket), 'P50 {{model}}'))
    .withTarget(promQuery('B', histogramQuantile(0.99, bucket), 'P99 {{model}}'))
    .height(8).span(12);
}
