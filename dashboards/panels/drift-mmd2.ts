import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { tableLegend } from '../field-config.ts';

/** The MMD² statistic itself: how far the window is from the reference, in kernel space. */
export function driftMmd2Panel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('MMD²')
    .description('vigil_drift_mmd2: squared maximum mean discrepancy between the sliding window and the reference set (Gaussian RBF kernel). Dimensionless; 0 = same distribution.')
    .datasource(DATASOURCE)
    .unit('none')
    .decimals(5)
    .min(0)
    .legend(tableLegend('max', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_drift_mmd2${sel()}`, '{{model}} {{source}}'))
    .height(8).span(12);
}
