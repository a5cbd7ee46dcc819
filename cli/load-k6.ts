import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../common/index.ts';
import { action, type CliIO, type ExitCodeBox } from './program.ts';
import { exportK6, importK6Summary, k6TestRunManifest } from '../load/k6/index.ts';
import { loadScenarioFile, resolveLoadOptions } from '../load/index.ts';
import { replayErrors } from '../load/replay-errors.ts';
import { renderLoadReport } from '../load/report/index.ts';
import { checkOutputsWritable } from './output-files.ts';

interface ImportFlags { out?: string; json?: boolean; target?: string; html?: string }
interface ExportFlags { out: string; target?: string; k6Operator?: boolean; parallelism?: string; name?: string }

/** `vigil load export-k6` and `vigil load import-k6`: moving scenarios to k6 and k6 runs back. */
export function registerLoadK6(load: Command, io: CliIO, box: ExitCodeBox): void {
  load.command('export-k6')
    .description('write a k6 script (TypeScript) equivalent to a scenario: same requests, executor and thresholds')
    .argument('<scenario>', 'scenario file (YAML or JSON), as for vigil load run')
    .requiredOption('--out <file>', 'the k6 script to write, e.g. script.ts (replay data goes beside it)')
    .option('--target <url>', 'base URL baked into the script (default: the scenario\'s; TARGET env var overrides at run time)')
    .option('--k6-operator', 'also write a k6-operator TestRun manifest (<out>.testrun.yaml)')
    .option('--parallelism <n>', 'with --k6-operator: number of runner pods (default 1)')
    .option('--name <name>', 'with --k6-operator: TestRun name (default: from the scenario file name)')
    .action(action(box, (scenarioFile: string, flags: ExportFlags) => {
      const parallelism = parseParallelism(flags.parallelism);
      const scenario = loadScenarioFile(scenarioFile);
      const options = resolveLoadOptions({ scenarioFile, target: flags.target, progress: 'none' });
      const stem = basename(flags.out).replace(/\.[^.]+$/, '');
      const dataFile = `${stem}.requests.json`;
      const exported = exportK6(options, { from: basename(scenarioFile), dataFile, replay: Boolean(scenario.replay ?? scenario.har) });
      const written = [flags.out];
      writeFileAtomic(flags.out, exported.script);
      if (exported.data !== undefined) {
        writeFileAtomic(join(dirname(flags.out), dataFile), exported.data);
        written.push(join(dirname(flags.out), dataFile));
      }
      if (flags.k6Operator) {
        const name = (flags.name ?? (scenario.name || basename(scenarioFile).replace(/\.[^.]+$/, ''))).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'vigil';
        const manifest = join(dirname(flags.out), `${stem}.testrun.yaml`);
        writeFileAtomic(manifest, k6TestRunManifest({ name, parallelism, scriptFile: basename(flags.out), dataFile: exported.data !== undefined ? dataFile : undefined, target: options.target, secretHeaders: exported.secretHeaders }));
        written.push(manifest);
      }
      io.stdout.write(`wrote ${written.join(', ')}\n`);
      if (exported.secretHeaders > 0) io.stderr.write(`note: ${exported.secretHeaders} request(s) carry recorded credentials (sent as recorded): treat these files as secrets\n`);
      return 0;
    }));

  load.command('import-k6')
    .description("read a k6 summary (handleSummary data or --summary-export) into vigil's result format")
    .argument('<summary>', 'k6 summary JSON file')
    .option('--out <file>', 'write the vigil.load.result/v1 file here')
    .option('--target <url>', 'the target URL the k6 run used (k6 summaries do not record it)')
    .option('--json', 'print the result as JSON on stdout')
    .option('--html <file>', 'also write the HTML report of the imported run')
    .action(action(box, (file: string, flags: ImportFlags) => {
      checkOutputsWritable([{ flag: '--out', path: flags.out, what: 'result' }, { flag: '--html', path: flags.html, what: 'HTML report' }]);
      const json = readJson(file);
      const result = importK6Summary(json, { file, endedAt: statSync(file).mtime });
      if (flags.target) result.target = flags.target;
      const text = `${JSON.stringify(result, null, 2)}\n`;
      if (flags.out) writeFileAtomic(flags.out, text);
      if (flags.html) writeFileAtomic(flags.html, renderLoadReport(result));
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

function parseParallelism(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw replayErrors.VIGIL_K6_BAD_PARALLELISM({ value: text });
  return n;
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
