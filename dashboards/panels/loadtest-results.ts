import type * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import { binaryStateTimeline } from '../state-timeline.ts';
import { promQuery, sel } from '../query.ts';

/** Pass/fail of every scheduled scenario over time. */
export function loadTestResultsPanel(): statetimeline.PanelBuilder {
  return binaryStateTimeline({
    title: 'Scheduled run results',
    description: 'vigil_loadtest_passed per scenario: red after a run that failed its thresholds or regressed against its baseline (VigilLoadTestRegression).',
    unit: 'bool_yes_no',
    zero: { text: 'failed', color: 'red' },
    one: { text: 'passed', color: 'green' },
  })
    .withTarget(promQuery('A', `max by (scenario) (vigil_loadtest_passed${sel('scenario=~"$scenario"')})`, '{{scenario}}'))
    .height(6).span(16);
}
