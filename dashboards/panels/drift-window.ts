import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { tableLegend } from '../field-config.ts';

/** Samples in the sliding window and how long an evaluation takes. */
export function driftWindowPanel(): timeseries.PanelBuilder {
  // The evaluation duration may be exported as a gauge (last evaluation) or a histogram; the
  // `or` reads whichever exists.
  const duration = `vigil_drift_evaluation_duration_seconds${sel()} or (rate(vigil_drift_evaluation_duration_seconds_sum${sel()}[$__rate_interval]) / rate(vigil_drift_evaluation_duration_seconds_count${sel()}[$__rate_interval]))`;
  return new timeseries.PanelBuilder()
    .title('Drift window and evaluation time')
    .description('vigil_drift_window_samples (left axis, samples in the sliding window) and vigil_drift_evaluation_duration_seconds (right axis, time one KS + MMD evaluation takes).')
    .datasource(DATASOURCE)
    .unit('short')
    .min(0)
    .legend(tableLegend('lastNotNull', 'max'))
    .withTarget(promQuery('A', `vigil_drift_window_samples${sel()}`, 'window samples {{model}}'))
    .withTarget(promQuery('B', duration, 'evaluation {{model}}'))
    .overrideByQuery('B', [{ id: 'unit', value: 's' }, { id: 'custom.axisPlacement', value: 'right' }])
    .height(8).span(12);
}
