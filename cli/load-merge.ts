import type { Command } from 'commander';
import { writeFileAtomic } from '../common/index.ts';
import { action, type CliIO, type ExitCodeBox } from './program.ts';
import { mergeResults } from '../load/merge.ts';
import { readResultFile } from '../load/report/index.ts';
import type { LoadResult } from '../load/result.ts';

interface MergeFlags { out?: string; json?: boolean }

/** `vigil load merge A.json B.json ... --out merged.json`: exact merge of shard results. */
export function registerLoadMerge(load: Command, io: CliIO, box: ExitCodeBox): void {
  load.command('merge')
    .description('merge results of shards that ran in parallel: histograms are added, so percentiles are exact')
    .argument('<results...>', 'vigil.load.result/v1 files (two or more)')
    .option('--out <file>', 'write the merged result here')
    .option('--json', 'print the merged result as JSON on stdout')
    .action(action(box, (files: string[], flags: MergeFlags) => {
      const merged = mergeResults(files.map(readResultFile), files);
      if (flags.out) writeFileAtomic(flags.out, `${JSON.stringify(merged, null, 2)}\n`);
      io.stdout.write(flags.json ? `${JSON.stringify(merged, null, 2)}\n` : describeMerge(merged, files.length, flags.out));
      return 0;
    }));
}

function describeMerge(r: LoadResult, shards: number, out: string | undefined): string {
  const s = r.summary;
  const l = s.latencyMs;
  const f = (v: number): string => `${v.toFixed(2)} ms`;
  return [
    `merged ${shards} shards: ${s.requests} requests over ${s.durationS} s = ${s.qps.toFixed(1)} req/s, errors ${s.errors.total} (${(s.errors.rate * 100).toFixed(2)} %)`,
    `latency  P50 ${f(l.p50)}  P90 ${f(l.p90)}  P95 ${f(l.p95)}  P99 ${f(l.p99)}  P99.9 ${f(l.p999)}  max ${f(l.max)}  (exact: from the summed histograms)`,
    out ? `written to ${out}` : '',
  ].filter(Boolean).join('\n') + '\n';
}
