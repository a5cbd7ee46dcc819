import type { Command } from 'commander';
import { commonErrors, ExitCode, parsePercent, writeFileAtomic } from '../common/index.ts';
import { action, type CliIO, type ExitCodeBox } from './program.ts';
import { compareResults, type CompareLimits } from '../load/compare.ts';
import { formatComparison } from '../load/report/index.ts';
import { readLoadResult } from '../load/index.ts';

interface CompareFlags {
  maxP50Increase?: string; maxP95Increase?: string; maxP99Increase?: string;
  maxQpsDecrease?: string; maxErrorRateIncrease?: string;
  maxTtftP99Increase?: string; maxTokensPerSDecrease?: string;
  json?: boolean; out?: string;
}

/** `vigil load compare BASELINE.json CURRENT.json [limits]`: side-by-side table, exit 99 on regression. */
export function registerLoadCompare(load: Command, io: CliIO, box: ExitCodeBox): void {
  load.command('compare')
    .description('compare a result with a baseline; exits 99 when a limit is exceeded')
    .argument('<baseline>', 'baseline vigil.load.result/v1 file')
    .argument('<current>', 'current vigil.load.result/v1 file')
    .option('--max-p50-increase <pct>', 'largest allowed relative P50 increase, e.g. 10%')
    .option('--max-p95-increase <pct>', 'largest allowed relative P95 increase, e.g. 10%')
    .option('--max-p99-increase <pct>', 'largest allowed relative P99 increase, e.g. 10%')
    .option('--max-qps-decrease <pct>', 'largest allowed relative QPS decrease, e.g. 5%')
    .option('--max-error-rate-increase <pct>', 'largest allowed error-rate increase in percentage points, e.g. 1%')
    .option('--max-ttft-p99-increase <pct>', 'LLM answers: largest allowed relative TTFT P99 increase, e.g. 10%')
    .option('--max-tokens-per-s-decrease <pct>', 'LLM answers: largest allowed relative decrease of output tokens/s, e.g. 5%')
    .option('--json', 'print the comparison as JSON')
    .option('--out <file>', 'also write the comparison as JSON to this file')
    .action(action(box, (baseline: string, current: string, flags: CompareFlags) => {
      const comparison = compareResults(readLoadResult(baseline), readLoadResult(current), parseLimits(flags));
      const json = `${JSON.stringify({ schema: 'vigil.load.comparison/v1', baseline, current, ...comparison }, null, 2)}\n`;
      if (flags.out) writeFileAtomic(flags.out, json);
      io.stdout.write(flags.json ? json : formatComparison(comparison, { baseline, current }));
      return comparison.regressed ? ExitCode.thresholds : ExitCode.ok;
    }));
}

export function parseLimits(flags: CompareFlags): CompareLimits {
  const limits: CompareLimits = {};
  const set = (key: keyof CompareLimits, flag: string, value: string | undefined): void => {
    if (value === undefined) return;
    const v = parsePercent(value, flag);
    if (v < 0) throw commonErrors.VIGIL_BAD_PERCENT({ name: flag, value }); // a limit is a size, never negative
    limits[key] = v;
  };
  set('maxP50Increase', '--max-p50-increase', flags.maxP50Increase);
  set('maxP95Increase', '--max-p95-increase', flags.maxP95Increase);
  set('maxP99Increase', '--max-p99-increase', flags.maxP99Increase);
  set('maxQpsDecrease', '--max-qps-decrease', flags.maxQpsDecrease);
  set('maxErrorRateIncrease', '--max-error-rate-increase', flags.maxErrorRateIncrease);
  set('maxTtftP99Increase', '--max-ttft-p99-increase', flags.maxTtftP99Increase);
  set('maxTokensPerSDecrease', '--max-tokens-per-s-decrease', flags.maxTokensPerSDecrease);
  return limits;
}

