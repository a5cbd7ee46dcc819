import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { tableLegend } from '../field-config.ts';

/** Latency quantiles of each scheduled run: the trend across runs. */
export function loadTestLatencyPanel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Scheduled run latency')
    .description('vigil_loadtest_latency_seconds per scenario and quantile, as measured by the last scheduled run (coordinated-omission free). Each step is one run.')
    .datasource(DATASOURCE)
    .unit('s')
    .min(0)
    .lineInterpolation(common.LineInterpolation.StepAfter)
    .legend(tableLegend('min', 'max', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_loadtest_latency_seconds${sel('scenario=~"$scenario"')}`, '{{scenario}} q{{quantile}}'))
    .height(8).span(12);
}
