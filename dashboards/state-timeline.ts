import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from './datasource.ts';

export interface BinaryState { text: string; color: 'green' | 'red' }

/**
 * A state timeline of a 0/1 gauge (a verdict, up/down, pass/fail), each value mapped to a word
 * and a colour; consecutive equal values merge into one bar.
 */
export function binaryStateTimeline(opts: { title: string; description: string; unit: string; zero: BinaryState; one: BinaryState }): statetimeline.PanelBuilder {
  const mappings: dashboard.ValueMapping[] = [{
    type: dashboard.MappingType.ValueToText,
    options: { '0': { ...opts.zero, index: 0 }, '1': { ...opts.one, index: 1 } },
  }];
  return new statetimeline.PanelBuilder()
    .title(opts.title)
    .description(opts.description)
    .datasource(DATASOURCE)
    .unit(opts.unit)
    .mappings(mappings)
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true);
}
