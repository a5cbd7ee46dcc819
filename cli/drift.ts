import type { Command } from 'commander';
import { writeFileAtomic } from '../common/atomic-write.ts';
import { formatDriftSummary, parseDriftTestFlags, renderDriftReport, runDriftTestCommand, type DriftTestFlags } from '../monitor/drift-cli/index.ts';
import { action, type CliIO, type ExitCodeBox } from './program.ts';

/** `vigil drift test`: offline drift test of two datasets (KS, MMD, chi-square, PSI). */
export function registerDrift(program: Command, io: CliIO, box: ExitCodeBox): void {
  const drift = program.command('drift').description('statistical drift tests between a reference and a current dataset');
  drift.command('test')
    .description('test whether CURRENT has drifted from REFERENCE (exit 99 on drift)')
    .requiredOption('--reference <file>', 'reference dataset: JSONL ({"features": [...]} or objects) or CSV with a header')
    .requiredOption('--current <file>', 'current dataset, same format and columns')
    .option('--features <list>', 'numeric features by name or 0-based index, comma-separated (default: all non-categorical columns)')
    .option('--categorical <list>', 'categorical columns (chi-square + PSI), by name or index')
    .option('--alpha <p>', 'significance level', '0.05')
    .option('--correction <kind>', 'multiple-testing correction across features: bonferroni | fdr', 'bonferroni')
    .option('--permutations <n>', 'MMD permutations', '100')
    .option('--seed <n>', 'seed of the permutation RNG', '0')
    .option('--sigma <list>', 'RBF bandwidth(s), comma-separated and averaged: numbers (1,2,4), or multiples of the median heuristic on the reference (0.5x or 0.5x,1x,2x); default 1x, alibi\'s sigma_median')
    .option('--mmd-aggregate <how>', 'several bandwidths: mean (average the kernels, alibi; default) or minp (each bandwidth on the same permutations, the smallest p-value decides, calibrated)')
    .option('--bins <n>', 'quantile bins of the reference for PSI', '10')
    .option('--mmd-max-samples <n>', 'rows per side used by MMD (seeded subsample above)', '5000')
    .option('--mmd-backend <kind>', 'permutation sums: auto | js | onnxruntime (auto: js for one small evaluation, onnxruntime for larger ones up to 4,000 pooled rows)', 'auto')
    .option('--standardize', 'z-score numeric features with the reference mean/sd before MMD')
    .option('--json', 'print the vigil.drift.result/v1 JSON instead of the table')
    .option('--out <file>', 'also write the JSON result to this file')
    .option('--html <file>', 'write a self-contained HTML report')
    .action(action(box, async (flags: DriftTestFlags) => {
      const opts = parseDriftTestFlags(flags);
      const outcome = await runDriftTestCommand(opts);
      const json = `${JSON.stringify(outcome.result, null, 2)}\n`;
      if (opts.out) writeFileAtomic(opts.out, json);
      if (opts.html) writeFileAtomic(opts.html, renderDriftReport(outcome.result, outcome.histograms, { reference: opts.reference, current: opts.current }));
      io.stdout.write(opts.json ? json : formatDriftSummary(outcome.result));
      return outcome.exitCode;
    }));
}
