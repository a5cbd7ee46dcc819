import type { Command } from 'commander';
import { ExitCode, writeFileAtomic } from '../common/index.ts';
import { action, collect, type CliIO, type ExitCodeBox } from './program.ts';
import { mergeResults } from '../load/merge.ts';
import { renderLoadReport } from '../load/report/index.ts';
import { checkOutputsWritable } from './output-files.ts';
import { evaluateThresholds, formatSummaryTable, parseThreshold, readLoadResult } from '../load/index.ts';

interface MergeFlags { out?: string; json?: boolean; threshold?: string[]; html?: string }

/** `vigil load merge A.json B.json ... --out merged.json`: exact merge of shard results. */
export function registerLoadMerge(load: Command, io: CliIO, box: ExitCodeBox): void {
  load.command('merge')
    .description('merge results of shards that ran in parallel: histograms are added, so percentiles are exact')
    .argument('<results...>', 'vigil.load.result/v1 files (two or more)')
    .option('--out <file>', 'write the merged result here')
    .option('--threshold <expr>', "check the merged result, e.g. 'p99<250ms' (repeatable; exit 99 on failure; default: the first shard's thresholds)", collect)
    .option('--json', 'print the merged result as JSON on stdout')
    .option('--html <file>', 'also write the HTML report of the merged result')
    .action(action(box, (files: string[], flags: MergeFlags) => {
      for (const t of flags.threshold ?? []) parseThreshold(t);
      checkOutputsWritable([{ flag: '--out', path: flags.out, what: 'merged result' }, { flag: '--html', path: flags.html, what: 'HTML report' }]);
      const shards = files.map((f) => readLoadResult(f));
      const merged = mergeResults(shards, files);
      // Shards' outcomes say nothing about the whole: evaluate the expressions again on the merge.
      merged.thresholds = evaluateThresholds(merged, flags.threshold ?? shards[0]?.thresholds.map((t) => t.expr) ?? []);
      if (flags.out) writeFileAtomic(flags.out, `${JSON.stringify(merged, null, 2)}\n`);
      if (flags.html) writeFileAtomic(flags.html, renderLoadReport(merged));
      io.stdout.write(flags.json ? `${JSON.stringify(merged, null, 2)}\n`
        : `merged ${files.length} shards (percentiles exact: from the summed histograms)${flags.out ? `, written to ${flags.out}` : ''}\n${formatSummaryTable(merged)}`);
      return merged.thresholds.some((t) => !t.ok) ? ExitCode.thresholds : ExitCode.ok;
    }));
}
