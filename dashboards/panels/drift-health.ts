import type * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { binaryStateTimeline } from '../state-timeline.ts';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { tableLegend } from '../field-config.ts';

/** Is the monitor still watching? Evaluations failing (degraded) and verdicts too old (stale), per model. */
export function driftDegradedPanel(): statetimeline.PanelBuilder {
  return binaryStateTimeline({
    title: 'Monitor degraded: evaluations failing',
    description: 'vigil_drift_degraded per model: red while the last drift evaluation failed — GET /readyz answers 503 and GET /v1/status says "degraded" with the one-line reason; the drift verdict is not being renewed. Failing with no success over the alert window fires VigilDriftEvaluationFailing.',
    unit: 'bool_yes_no',
    zero: { text: 'ok', color: 'green' },
    one: { text: 'degraded', color: 'red' },
  })
    .rowHeight(0.8)
    .withTarget(promQuery('A', `max by (model) (vigil_drift_degraded${sel()})`, '{{model}}'))
    .height(5).span(12);
}

export function driftStalePanel(): statetimeline.PanelBuilder {
  return binaryStateTimeline({
    title: 'Drift verdict stale',
    description: 'vigil_drift_stale per model: red while the verdict in force is older than the monitor\'s --stale-after (no traffic, or evaluations failing): the drift and parity gauges are withdrawn, so the drift alert cannot fire on it; VigilDriftStale fires instead.',
    unit: 'bool_yes_no',
    zero: { text: 'fresh', color: 'green' },
    one: { text: 'stale', color: 'red' },
  })
    .rowHeight(0.8)
    .withTarget(promQuery('A', `max by (model) (vigil_drift_stale${sel()})`, '{{model}}'))
    .height(5).span(12);
}

/** How old the verdict is, and how many evaluations failed. */
export function driftVerdictAgePanel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Verdict age and failed evaluations')
    .description('Left axis: seconds since the last successful drift evaluation (time() − vigil_drift_last_evaluation_timestamp_seconds), the age of every drift and parity gauge; it grows while no traffic arrives or evaluations fail. Right axis: failed evaluations per interval (vigil_drift_evaluation_errors_total).')
    .datasource(DATASOURCE)
    .unit('s')
    .min(0)
    .legend(tableLegend('lastNotNull', 'max'))
    .withTarget(promQuery('A', `time() - max by (model) (vigil_drift_last_evaluation_timestamp_seconds${sel()})`, 'verdict age {{model}}'))
    .withTarget(promQuery('B', `sum by (model) (increase(vigil_drift_evaluation_errors_total${sel()}[$__rate_interval]))`, 'failed evaluations {{model}}'))
    .overrideByQuery('B', [{ id: 'unit', value: 'short' }, { id: 'custom.axisPlacement', value: 'right' }])
    .height(8).span(24);
}
