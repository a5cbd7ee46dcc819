import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { dashedThresholds, logScale, tableLegend } from '../field-config.ts';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

/** MMD and KS p-values on a log axis; below the dashed alpha line a window is called drifted. */
export function driftPValuesPanel(alpha = 0.05): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Drift p-values (MMD permutation test, KS)')
    .description(`vigil_drift_p_value per model and test: the MMD p-value from the permutation test and the (corrected) KS p-value. Dashed line: alpha = ${alpha}.`)
    .datasource(DATASOURCE)
    .unit('none')
    .decimals(4)
    .max(1)
    .scaleDistribution(logScale())
    .thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([{ value: null, color: 'red' }, { value: alpha, color: 'green' }]))
    .thresholdsStyle(dashedThresholds())
    .legend(tableLegend('min', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_drift_p_value${sel()}`, '{{model}} {{source}} {{test}}'))
    .height(8).span(12);
}
