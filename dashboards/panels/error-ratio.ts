import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { dashedThresholds, tableLegend, thresholdAt } from '../field-config.ts';
import type { SloLines } from '../slo-lines.ts';

/** Share of failed requests (5xx or no answer) per model; the dashed line is the fastest burn-rate threshold. */
export function errorRatioPanel(slo: SloLines): timeseries.PanelBuilder {
  const total = `sum by (model) (rate(vigil_upstream_requests_total${sel()}[$__rate_interval]))`;
  const failed = `sum by (model) (rate(vigil_upstream_requests_total${sel(`code=~${JSON.stringify(slo.errorCodes)}`)}[$__rate_interval]))`;
  return new timeseries.PanelBuilder()
    .title('Error ratio')
    .description(`Failed (code matching ${slo.errorCodes}: 5xx, or error/timeout when no answer came) / all proxied requests per model. Dashed line: ${slo.pageText}.`)
    .datasource(DATASOURCE)
    .unit('percentunit')
    .min(0)
    .thresholds(thresholdAt(slo.pageErrorRatio))
    .thresholdsStyle(dashedThresholds())
    .legend(tableLegend('mean', 'max', 'lastNotNull'))
    .withTarget(promQuery('A', `${failed} / ${total}`, '{{model}}'))
    .height(8).span(12);
}
