import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from '../datasource.ts';
import { promQuery, sel } from '../query.ts';
import { dashedThresholds, tableLegend, thresholdAt } from '../field-config.ts';
import { formatBytes } from '../../common/index.ts';

/** The watcher's Theil–Sen slope next to Prometheus' own deriv() of RSS. */
export function memoryGrowthPanel(maxGrowthBytesPerSecond: number): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Memory growth')
    .description(`vigil_memory_growth_bytes_per_second (the watcher's Theil–Sen slope over its window) and deriv() of RSS over 5m. Dashed line: ${formatBytes(maxGrowthBytesPerSecond)}/s, the growth-rate leak threshold.`)
    .datasource(DATASOURCE)
    .unit('Bps')
    .thresholds(thresholdAt(maxGrowthBytesPerSecond))
    .thresholdsStyle(dashedThresholds())
    .legend(tableLegend('mean', 'max', 'lastNotNull'))
    .withTarget(promQuery('A', `vigil_memory_growth_bytes_per_second${sel('target=~"$target"')}`, 'watcher slope {{target}}'))
    .withTarget(promQuery('B', `deriv(vigil_memory_bytes${sel('target=~"$target"', 'kind="rss"')}[5m])`, 'deriv rss {{target}}'))
    .height(8).span(12);
}
