import type * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import { binaryStateTimeline } from '../state-timeline.ts';
import { promQuery, sel } from '../query.ts';

/** The drift decision of every evaluation (the family decision over all tests), per model, as a state timeline. */
export function driftVerdictsPanel(): statetimeline.PanelBuilder {
  return binaryStateTimeline({
    title: 'Drift decisions',
    description: 'vigil_drift_detected{test="family"} per model: red where the evaluation of the sliding window decided drift — its family p-value (every KS and MMD test of inputs and reference-model outputs, adjusted together) was at or below alpha. On healthy traffic about alpha of evaluations are red, no more.',
    unit: 'bool_yes_no',
    zero: { text: 'no drift', color: 'green' },
    one: { text: 'drift', color: 'red' },
  })
    .rowHeight(0.8)
    .withTarget(promQuery('A', `max by (model) (vigil_drift_detected${sel()})`, '{{model}}'))
    .height(6).span(24);
}
