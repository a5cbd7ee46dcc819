import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from '../datasource.ts';
import { instantQuery, sel } from '../query.ts';
import { lastValue } from '../field-config.ts';

/** Latest KS statistic per feature: which features moved, largest first. */
export function featureKsPanel(): bargauge.PanelBuilder {
  return new bargauge.PanelBuilder()
    .title('KS statistic per feature')
    .description('vigil_drift_feature_ks_statistic: largest gap between the reference and window CDFs of each feature (0 = identical, 1 = disjoint). One feature far ahead of the others is usually a pipeline bug; many moving together is population drift.')
    .datasource(DATASOURCE)
    .unit('none')
    .decimals(3)
    .min(0)
    .max(1)
    .thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([{ value: null, color: 'green' }, { value: 0.1, color: 'orange' }, { value: 0.3, color: 'red' }]))
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal)
    .reduceOptions(lastValue())
    .withTarget(instantQuery('A', `sort_desc(max by (source, feature) (vigil_drift_feature_ks_statistic${sel()}))`, '{{source}} {{feature}}'))
    .height(8).span(12);
}
