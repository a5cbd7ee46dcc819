import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { verdictMappings } from '../field-config.ts';

/** The drift verdict of every evaluation, per model and test, as a state timeline. */
export function driftVerdictsPanel(): statetimeline.PanelBuilder {
  return new statetimeline.PanelBuilder()
    .title('Drift verdicts')
    .description('vigil_drift_detected per model, source (inputs, or the reference model outputs) and test (mmd, ks): red where the evaluation of the sliding window rejected "same distribution as the reference" at alpha. VigilDriftDetected fires only when red is sustained.')
    .datasource(DATASOURCE)
    .unit('bool_yes_no')
    .mappings(verdictMappings('no drift', 'drift'))
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .rowHeight(0.8)
    .withTarget(promQuery('A', `max by (model, source, test) (vigil_drift_detected${sel()})`, '{{model}} {{source}} {{test}}'))
    .height(6).span(24);
}
