import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from '../datasource.ts';
import { instantQuery, sel } from '../query.ts';
import { lastValue } from '../field-config.ts';

/** Projected time until each target reaches its memory limit at the current slope. */
export function memoryExhaustionPanel(): bargauge.PanelBuilder {
  return new bargauge.PanelBuilder()
    .title('Time to memory exhaustion')
    .description('vigil_memory_seconds_to_exhaustion: time until the target reaches its memory limit at the watcher\'s current slope (absent when memory is not growing). Red below 1 hour.')
    .datasource(DATASOURCE)
    .unit('s')
    .min(0)
    .thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([{ value: null, color: 'red' }, { value: 3600, color: 'orange' }, { value: 86_400, color: 'green' }]))
    .displayMode(common.BarGaugeDisplayMode.Basic)
    .orientation(common.VizOrientation.Horizontal)
    .reduceOptions(lastValue())
    .withTarget(instantQuery('A', `sort(vigil_memory_seconds_to_exhaustion${sel('target=~"$target"')})`, '{{target}}'))
    .height(8).span(12);
}
