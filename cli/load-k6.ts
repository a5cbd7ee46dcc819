import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { writeFileAtomic } from '../common/index.ts';
import { action, type CliIO, type ExitCodeBox } from './program.ts';
import { importK6Summary } from '../load/k6/index.ts';
import { replayErrors } from '../load/replay-errors.ts';

interface ImportFlags { out?: string; json?: boolean; target?: string }

/** `vigil load export-k6` and `vigil load import-k6`: moving scenarios to k6 and k6 runs back. */
export function registerLoadK6(load: Command, io: CliIO, box: ExitCodeBox): void {
  load.command('import-k6')
    .description("read a k6 summary (handleSummary data or --summary-export) into vigil's result format")
    .argument('<summary>', 'k6 summary JSON file')
    .option('--out <file>', 'write the vigil.load.result/v1 file here')
    .option('--target <url>', 'the target URL the k6 run used (k6 summaries do not record it)')
    .option('--json', 'print the result as JSON on stdout')
    .action(action(box, (file: string, flags: ImportFlags) => {
      const json = readJson(file);
      const result = importK6Summary(json, { file, endedAt: statSync(file).mtime });
      if (flags.target) result.target = flags.target;
      const text = `${JSON.stringify(result, null, 2)}\n`;
      if (flags.out) writeFileAtomic(flags.out, text);
      if (flags.json) io.stdout.write(text);
      else {
        const s = result.summary;
        io.stdout.write(`imported k6 summary (${String((result.config.k6 as { shape: string }).shape)}): ${s.requests} requests, ${s.qps.toFixed(1)} req/s, `
          + `P95 ${s.latencyMs.p95} ms, errors ${(s.errors.rate * 100).toFixed(2)} %, ${result.thresholds.filter((t) => !t.ok).length} of ${result.thresholds.length} thresholds failed${flags.out ? `; written to ${flags.out}` : ''}\n`
          + 'note: k6 keeps no histogram, so this result can be compared and reported but not merged exactly\n');
      }
      return 0;
    }));
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw replayErrors.VIGIL_K6_SUMMARY_INVALID({ file, rule: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw replayErrors.VIGIL_K6_SUMMARY_INVALID({ file, rule: `not JSON (${(err as Error).message})` });
  }
}
