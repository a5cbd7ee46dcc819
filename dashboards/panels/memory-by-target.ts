import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { tableLegend } from '../field-config.ts';

/** Memory of every watched target (own process, PIDs, remote /metrics), by kind (rss, heap...). */
export function memoryByTargetPanel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Memory by target')
    .description('vigil_memory_bytes per target and kind, as sampled by the leak watcher.')
    .datasource(DATASOURCE)
    .unit('bytes')
    .min(0)
    .legend(tableLegend('min', 'max', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_memory_bytes${sel('target=~"$target"')}`, '{{target}} {{kind}}'))
    .height(8).span(12);
}
