import type * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import { binaryStateTimeline } from '../state-timeline.ts';
import { promQuery, sel } from '../query.ts';

/** The drift verdict of every evaluation, per model, source and test, as a state timeline. */
export function driftVerdictsPanel(): statetimeline.PanelBuilder {
  return binaryStateTimeline({
    title: 'Drift verdicts',
    description: 'vigil_drift_detected per model, source (inputs, or the reference model outputs) and test (mmd, ks): red where the evaluation of the sliding window rejected "same distribution as the reference" at alpha. VigilDriftDetected fires only when red is sustained.',
    unit: 'bool_yes_no',
    zero: { text: 'no drift', color: 'green' },
    one: { text: 'drift', color: 'red' },
  })
    .rowHeight(0.8)
    .withTarget(promQuery('A', `max by (model, source, test) (vigil_drift_detected${sel()})`, '{{model}} {{source}} {{test}}'))
    .height(6).span(24);
}
