import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { tableLegend } from '../field-config.ts';

/** Requests per second through the monitor's proxy, per model and status code. */
export function requestRatePanel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Requests per second')
    .description('Rate of requests proxied to the deployed model (vigil_upstream_requests_total), by model and HTTP status code.')
    .datasource(DATASOURCE)
    .unit('reqps')
    .min(0)
    .fillOpacity(10)
    .legend(tableLegend('mean', 'max', 'lastNotNull'))
    .withTarget(promQuery('A', `sum by (model, code) (rate(vigil_upstream_requests_total${sel()}[$__rate_interval]))`, '{{model}} {{code}}'))
    .height(8).span(12);
}
