import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';

/** The whole latency distribution over time, straight from the histogram buckets (no re-bucketing). */
export function latencyHeatmapPanel(): heatmap.PanelBuilder {
  return new heatmap.PanelBuilder()
    .title('Latency distribution')
    .description('Requests per latency bucket of vigil_upstream_request_duration_seconds over time. A second band is a slow path; the whole band moving up is a slower model or saturation.')
    .datasource(DATASOURCE)
    .unit('s')
    .calculate(false)
    .yAxis(new heatmap.YAxisConfigBuilder().unit('s').decimals(3))
    .rowsFrame(new heatmap.RowsHeatmapOptionsBuilder().layout(common.HeatmapCellLayout.Ge))
    .color(new heatmap.HeatmapColorOptionsBuilder().mode(heatmap.HeatmapColorMode.Scheme).scheme('Oranges').fill('dark-orange').scale(heatmap.HeatmapColorScale.Exponential).exponent(0.5).steps(64).reverse(false))
    .cellGap(1)
    .showValue(common.VisibilityMode.Never)
    .withTarget(promQuery('A', `sum by (le) (increase(vigil_upstream_request_duration_seconds_bucket${sel()}[$__rate_interval]))`, '{{le}}').format(prometheus.PromQueryFormat.Heatmap))
    .height(8).span(12);
}
