import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { logScale, tableLegend } from '../field-config.ts';

/** KS p-value of each feature over time, log axis. */
export function featurePValuesPanel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('KS p-value per feature')
    .description('vigil_drift_feature_p_value per feature (uncorrected; the verdict applies Bonferroni or FDR across features).')
    .datasource(DATASOURCE)
    .unit('none')
    .decimals(4)
    .max(1)
    .scaleDistribution(logScale())
    .legend(tableLegend('min', 'lastNotNull'))
    .withTarget(promQuery('A', `min by (source, feature) (vigil_drift_feature_p_value${sel()})`, '{{source}} {{feature}}'))
    .height(8).span(12);
}
