import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { dashedThresholds, tableLegend } from '../field-config.ts';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { percentText } from '../slo-lines.ts';

/** Share of deployed answers that agree with the reference model; dashed = the alert floor. */
export function parityAgreementPanel(minAgreement: number): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Parity: agreement with the reference model')
    .description(`vigil_parity_agreement_ratio per model. Dashed line: ${percentText(minAgreement)} %, below which VigilParityDegraded fires.`)
    .datasource(DATASOURCE)
    .unit('percentunit')
    .max(1)
    .thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([{ value: null, color: 'red' }, { value: minAgreement, color: 'green' }]))
    .thresholdsStyle(dashedThresholds())
    .legend(tableLegend('min', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_parity_agreement_ratio${sel()}`, '{{model}}'))
    .height(8).span(12);
}
