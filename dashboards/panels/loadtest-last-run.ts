import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from '../datasource.ts';
import { instantQuery, sel } from '../query.ts';
import { lastValue } from '../field-config.ts';

/** Time since each scenario last ran: a stale schedule is a silent failure. */
export function loadTestLastRunPanel(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title('Since last run')
    .description('time() − vigil_loadtest_last_run_timestamp_seconds per scenario.')
    .datasource(DATASOURCE)
    .unit('s')
    .thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([{ value: null, color: 'green' }, { value: 86_400, color: 'orange' }]))
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(lastValue())
    .withTarget(instantQuery('A', `time() - max by (scenario) (vigil_loadtest_last_run_timestamp_seconds${sel('scenario=~"$scenario"')})`, '{{scenario}}'))
    .height(6).span(8);
}
