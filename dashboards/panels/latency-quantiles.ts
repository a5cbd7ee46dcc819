import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { histogramQuantile, promQuery } from '../query.ts';
import { dashedThresholds, tableLegend, thresholdAt } from '../field-config.ts';
import type { SloLines } from '../slo-lines.ts';

/** P50/P95/P99 latency per model from the proxy's histogram; dashed line = the P99 alert threshold. */
export function latencyQuantilesPanel(slo: SloLines): timeseries.PanelBuilder {
  const bucket = 'vigil_upstream_request_duration_seconds_bucket';
  return new timeseries.PanelBuilder()
    .title('Latency P50 / P95 / P99')
    .description(`Quantiles of vigil_upstream_request_duration_seconds per model, interpolated from the histogram buckets. Dashed line: the ${slo.p99Text} P99 alert threshold.`)
    .datasource(DATASOURCE)
    .unit('s')
    .min(0)
    .thresholds(thresholdAt(slo.p99Seconds))
    .thresholdsStyle(dashedThresholds())
    .legend(tableLegend('mean', 'max', 'lastNotNull'))
    .withTarget(promQuery('A', histogramQuantile(0.5, bucket), 'P50 {{model}}'))
    .withTarget(promQuery('B', histogramQuantile(0.95, bucket), 'P95 {{model}}'))
    .withTarget(promQuery('C', histogramQuantile(0.99, bucket), 'P99 {{model}}'))
    .height(8).span(12);
}
