import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';

/** Pass/fail of every scheduled scenario over time. */
export function loadTestResultsPanel(): statetimeline.PanelBuilder {
  return new statetimeline.PanelBuilder()
    .title('Scheduled run results')
    .description('vigil_loadtest_passed per scenario: red after a run that failed its thresholds or regressed against its baseline (VigilLoadTestRegression).')
    .datasource(DATASOURCE)
    .unit('bool_yes_no')
    .mappings([{ type: dashboard.MappingType.ValueToText, options: { '0': { text: 'failed', color: 'red', index: 0 }, '1': { text: 'passed', color: 'green', index: 1 } } }])
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .withTarget(promQuery('A', `max by (scenario) (vigil_loadtest_passed${sel('scenario=~"$scenario"')})`, '{{scenario}}'))
    .height(6).span(16);
}
