import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { tableLegend } from '../field-config.ts';

/** The online detector's statistic against its calibrated threshold: the alarm is the crossing. */
export function driftOnlinePanel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Online drift detector: statistic vs threshold')
    .description('vigil_drift_online_statistic: −log10 of the smallest p-value over every KS and MMD test of the last window of live samples (inputs and reference-model outputs). vigil_drift_online_threshold: the level calibrated on the reference set so that on healthy traffic the statistic reaches it once per ERT samples on average. Where the statistic reaches the threshold, vigil_drift_alarm is 1 and VigilDriftDetected fires.')
    .datasource(DATASOURCE)
    .unit('none')
    .decimals(2)
    .min(0)
    .legend(tableLegend('max', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_drift_online_statistic${sel()}`, 'statistic {{model}}'))
    .withTarget(promQuery('B', `vigil_drift_online_threshold${sel()}`, 'threshold {{model}}'))
    .withTarget(promQuery('C', `max by (model) (vigil_drift_alarm${sel()}) * max by (model) (vigil_drift_online_threshold${sel()})`, 'alarm {{model}}'))
    .height(8).span(24);
}
