import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { dashedThresholds, tableLegend, thresholdAt } from '../field-config.ts';

/** Share of failed requests (5xx or no answer) per model; the dashed line is the fastest burn-rate threshold. */
export function errorRatioPanel(pageThreshold = 0.0144): timeseries.PanelBuilder {
  const total = `sum by (model) (rate(vigil_upstream_requests_total${sel()}[$__rate_interval]))`;
  const failed = `sum by (model) (rate(vigil_upstream_requests_total${sel('code=~"5..|error|timeout"')}[$__rate_interval]))`;
  return new timeseries.PanelBuilder()
    .title('Error ratio')
    .description(`Failed (5xx, or no answer: code error/timeout) / all proxied requests per model. Dashed line: ${pageThreshold * 100} %, the 1h/5m page threshold of a 99.9 % objective (14.4 × budget).`)
    .datasource(DATASOURCE)
    .unit('percentunit')
    .min(0)
    .thresholds(thresholdAt(pageThreshold))
    .thresholdsStyle(dashedThresholds())
    .legend(tableLegend('mean', 'max', 'lastNotNull'))
    .withTarget(promQuery('A', `${failed} / ${total}`, '{{model}}'))
    .height(8).span(12);
}
