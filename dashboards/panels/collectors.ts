import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from '../datasource.ts';
import { jobSel, promQuery } from '../query.ts';

/** Are the scrape targets up, and can the GPU collector read the GPUs? */
export function collectorsPanel(): statetimeline.PanelBuilder {
  return new statetimeline.PanelBuilder()
    .title('Targets and collectors')
    .description('up of every vigil scrape target, and vigil_gpu_collect_success (0 when nvidia-smi / dcgm-exporter cannot be read: vigil reports no GPU numbers then, rather than invented ones).')
    .datasource(DATASOURCE)
    .unit('bool_on_off')
    .mappings([{ type: dashboard.MappingType.ValueToText, options: { '0': { text: 'down / failing', color: 'red', index: 0 }, '1': { text: 'up', color: 'green', index: 1 } } }])
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .withTarget(promQuery('A', `up${jobSel()}`, 'scrape {{instance}}'))
    .withTarget(promQuery('B', `vigil_gpu_collect_success${jobSel()}`, 'GPU collector {{instance}}'))
    .height(6).span(12);
}
