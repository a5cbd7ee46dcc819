import type * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import { binaryStateTimeline } from '../state-timeline.ts';
import { jobSel, promQuery } from '../query.ts';

/** Are the scrape targets up, and can the GPU collector read the GPUs? */
export function collectorsPanel(): statetimeline.PanelBuilder {
  return binaryStateTimeline({
    title: 'Targets and collectors',
    description: 'up of every vigil scrape target, and vigil_gpu_collect_success (0 when nvidia-smi / dcgm-exporter cannot be read: vigil reports no GPU numbers then, rather than invented ones).',
    unit: 'bool_on_off',
    zero: { text: 'down / failing', color: 'red' },
    one: { text: 'up', color: 'green' },
  })
    .withTarget(promQuery('A', `up${jobSel()}`, 'scrape {{instance}}'))
    .withTarget(promQuery('B', `vigil_gpu_collect_success${jobSel()}`, 'GPU collector {{instance}}'))
    .height(6).span(12);
}
