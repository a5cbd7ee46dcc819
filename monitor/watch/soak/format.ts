import { formatBytes } from '../../../common/units.ts';
import { formatDurationMs } from '../../../common/duration.ts';
import type { SoakResult } from './soak.ts';
import { SOAK_MIN_SPAN_SECONDS } from './verdict.ts';

/** The verdict lines printed after the load summary. */
export function formatSoakVerdict(result: SoakResult): string {
  const lines = ['', 'leak verdict (Theil–Sen slope of the post-GC floor, Mann–Kendall p-value):'];
  for (const v of result.targets) {
    const slope = v.slopeMBPerHour === null ? 'no trend (too few samples)' : `${v.slopeMBPerHour >= 0 ? '+' : ''}${v.slopeMBPerHour.toFixed(1)} MB/h`;
    const p = v.pValue === null ? '' : `, p = ${v.pValue.toExponential(2)}`;
    const mem = v.startBytes !== null && v.endBytes !== null ? `, ${formatBytes(v.startBytes)} → ${formatBytes(v.endBytes)}` : '';
    const oom = v.limitBytes === null ? ', no memory limit known (--memory-limit)'
      : v.secondsToExhaustion === null ? `, not growing toward the ${formatBytes(v.limitBytes)} limit`
        : `, projected OOM in ${formatDurationMs(v.secondsToExhaustion * 1000)} (limit ${formatBytes(v.limitBytes)}, at ${v.projectedOomAt})`;
    const live = v.firstFlaggedAfterSeconds !== null ? `; the live watcher flagged it after ${formatDurationMs(v.firstFlaggedAfterSeconds * 1000)}` : '';
    lines.push(`  ${v.target} ${v.kind}: ${slope}${p}${mem}${oom} → ${v.inconclusive ? `INCONCLUSIVE (a run shorter than ${SOAK_MIN_SPAN_SECONDS / 60} min cannot tell a leak from GC growth)` : v.leakSuspected ? 'LEAK SUSPECTED' : 'no leak'}${live}`);
  }
  if (result.targets.length === 0) lines.push('  no memory samples were recorded: nothing to judge');
  for (const f of result.failures) lines.push(`  ${f.target}: the last sample failed: ${f.error}`);
  return `${lines.join('\n')}\n`;
}
