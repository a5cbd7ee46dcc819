import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { verdictMappings } from '../field-config.ts';

/** The watcher's leak verdict per target over time. */
export function memoryLeakVerdictPanel(): statetimeline.PanelBuilder {
  return new statetimeline.PanelBuilder()
    .title('Leak verdict')
    .description('vigil_memory_leak_suspected per target: red while the Mann–Kendall test finds a significant upward trend.')
    .datasource(DATASOURCE)
    .unit('bool_yes_no')
    .mappings(verdictMappings('no leak', 'leak suspected'))
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .withTarget(promQuery('A', `max by (target) (vigil_memory_leak_suspected${sel('target=~"$target"')})`, '{{target}}'))
    .height(6).span(12);
}
