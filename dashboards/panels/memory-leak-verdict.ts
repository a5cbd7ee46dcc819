import type * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import { binaryStateTimeline } from '../state-timeline.ts';
import { promQuery, sel } from '../query.ts';

/** The watcher's leak verdict per target over time. */
export function memoryLeakVerdictPanel(): statetimeline.PanelBuilder {
  return binaryStateTimeline({
    title: 'Leak verdict',
    description: 'vigil_memory_leak_suspected per target: red while the Mann–Kendall test finds a significant upward trend.',
    unit: 'bool_yes_no',
    zero: { text: 'no leak', color: 'green' },
    one: { text: 'leak suspected', color: 'red' },
  })
    .withTarget(promQuery('A', `max by (target) (vigil_memory_leak_suspected${sel('target=~"$target"')})`, '{{target}}'))
    .height(6).span(12);
}
