import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { tableLegend } from '../field-config.ts';

/** Largest absolute difference between deployed and reference outputs. */
export function parityDiffPanel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Parity: max |deployed − reference|')
    .description('vigil_parity_max_abs_diff per model, in the units of the model output. Large on every request: a different model or preprocessing; tiny: numeric noise.')
    .datasource(DATASOURCE)
    .unit('none')
    .decimals(6)
    .min(0)
    .legend(tableLegend('max', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_parity_max_abs_diff${sel()}`, '{{model}}'))
    .height(8).span(12);
}
