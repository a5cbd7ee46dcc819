import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { tableLegend } from '../field-config.ts';

/** Achieved QPS and error ratio of each scheduled run. */
export function loadTestThroughputPanel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Scheduled run QPS and errors')
    .description('vigil_loadtest_qps (left axis) and vigil_loadtest_error_ratio (right axis) per scenario, from the last scheduled run.')
    .datasource(DATASOURCE)
    .unit('reqps')
    .min(0)
    .lineInterpolation(common.LineInterpolation.StepAfter)
    .legend(tableLegend('min', 'max', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_loadtest_qps${sel('scenario=~"$scenario"')}`, 'QPS {{scenario}}'))
    .withTarget(promQuery('B', `vigil_loadtest_error_ratio${sel('scenario=~"$scenario"')}`, 'errors {{scenario}}'))
    .overrideByQuery('B', [{ id: 'unit', value: 'percentunit' }, { id: 'custom.axisPlacement', value: 'right' }])
    .height(8).span(12);
}
