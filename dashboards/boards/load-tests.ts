import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { vigilDashboard } from './common.ts';
import { datasourceVariable, jobAndModelVariables, labelVariable } from '../datasource.ts';
import { loadTestResultsPanel } from '../panels/loadtest-results.ts';
import { loadTestLastRunPanel } from '../panels/loadtest-last-run.ts';
import { loadTestLatencyPanel } from '../panels/loadtest-latency.ts';
import { loadTestThroughputPanel } from '../panels/loadtest-throughput.ts';

/** Results and trends of the scenarios `vigil schedule` runs. */
export function loadTestsDashboard(): dashboard.Dashboard {
  return vigilDashboard('vigil-load-tests', 'vigil / Load tests', 'Results and trends of the load scenarios run on a schedule by `vigil schedule` (vigil_loadtest_*).')
    .time({ from: 'now-7d', to: 'now' })
    .variables([
      datasourceVariable(),
      ...jobAndModelVariables('vigil_loadtest_qps'),
      labelVariable('scenario', 'Scenario', 'vigil_loadtest_qps', '{job=~"$job"}'),
    ])
    .withRow(new dashboard.RowBuilder('Runs'))
    .withPanel(loadTestResultsPanel())
    .withPanel(loadTestLastRunPanel())
    .withRow(new dashboard.RowBuilder('Trends'))
    .withPanel(loadTestLatencyPanel())
    .withPanel(loadTestThroughputPanel())
    .build();
}
