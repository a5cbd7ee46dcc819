import { Option, type Command } from 'commander';
import { addArrivalOptions, addSourceOptions } from './load-source-options.ts';
import { addHarFilterOptions } from './load-har-options.ts';
import { addProtocolOptions } from './load-protocol-options.ts';
import { action, collect, withStopSignals, type CliIO, type ExitCodeBox } from './program.ts';
import { ExitCode } from '../common/errors.ts';
import { formatDurationMs } from '../common/duration.ts';
import {
  createProgressPrinter, formatSummaryTable, resolveLoadOptions, runLoad, writeLoadResult,
  type LoadInput, type LoadOptions, type LoadResult,
} from '../load/index.ts';
import { redactResult, scrubberFor, scrubbingStream } from '../load/redact.ts'; // replay-reports (contract C)
import { renderLoadReport } from '../load/report/index.ts'; // replay-reports (contract C)
import { writeFileAtomic } from '../common/atomic-write.ts'; // replay-reports (contract C)

interface RunFlags extends Omit<LoadInput, 'scenarioFile'> { out?: string; json?: boolean; html?: string }

/** `vigil load run [SCENARIO]`: parse flags → resolveLoadOptions → runLoad → print/write. */
export function registerLoadRun(load: Command, io: CliIO, box: ExitCodeBox): void {
  const cmd = load.command('run')
    .description('run load against an HTTP endpoint (open model --rate, closed --connections, --stages, --timing original)')
    .argument('[scenario]', 'scenario file (YAML or JSON); flags override it');
  addProtocolOptions(addHarFilterOptions(addArrivalOptions(addSourceOptions(cmd))))
    .option('--rate <n>', 'open model: constant arrival rate, requests/s')
    .option('--connections <n>', 'closed model: concurrent connections, each sending the next request when the last completes (default 10 when no model is given)')
    .option('--stages <list>', 'ramping arrival rate, e.g. "30s:100,60s:500,30s:0" (duration:target req/s)')
    .option('--timing <mode>', 'original: replay with the recorded gaps ("t" of each line)')
    .option('--speed <x>', 'with --timing original: time scale, 2 = twice as fast (default 1)')
    .option('--loop', 'with --timing original: start over when the recording ends')
    .option('--duration <d>', 'measured duration after warmup, e.g. 30s (default 10s unless --requests, --stages or an unlooped recording bound the run)')
    .option('--requests <n>', 'stop after this many measured requests')
    .option('--warmup <d>', 'run this long first and exclude it from all statistics (default 0s)')
    .option('--timeout <d>', 'per request: waiting for headers and between body chunks (default 10s)')
    .option('--max-in-flight <n>', 'open models: arrivals beyond this many requests in flight are dropped and counted (default 10000)')
    .option('--max-connections <n>', 'open models: keep-alive connections per origin; requests beyond wait in the queue, timed from their intended start (default 256)')
    .option('--threshold <expr>', "pass/fail check, e.g. 'p99<250ms', 'error_rate<1%', 'qps>100' (repeatable; exit 99 on failure)", collect)
    .option('--slo <expr>', "per-request SLO defining goodput, e.g. 'ttft<500ms', 'tpot<50ms', 'e2e<2s' (repeatable; threshold: goodput>10)", collect)
    .option('--out <file>', 'write the result (vigil.load.result/v1 JSON) to this file, atomically')
    .option('--json', 'print the result JSON on stdout instead of the summary table')
    .option('--html <file>', 'also write a self-contained HTML report (charts inlined; opens offline)')
    .addOption(new Option('--progress <mode>', 'live progress on stderr (default tty on a terminal, plain otherwise)').choices(['tty', 'plain', 'none']))
    .action(action(box, async (scenario: string | undefined, flags: RunFlags) => {
      const options = resolveLoadOptions({ ...flags, scenarioFile: scenario });
      // --- replay-reports (contract C): recorded secrets are sent, never written; --html ---
      const scrubber = scrubberFor(options.source);
      const safeIo: CliIO = { stdout: scrubbingStream(io.stdout, scrubber), stderr: scrubbingStream(io.stderr, scrubber) };
      const result = redactResult(await runWithSignals(options, safeIo, flags.progress), scrubber);
      if (flags.html) {
        writeFileAtomic(flags.html, renderLoadReport(result));
        safeIo.stderr.write(`report written to ${flags.html}\n`);
      }
      // --- end replay-reports ---
      if (flags.out) {
        writeLoadResult(flags.out, result);
        safeIo.stderr.write(`results written to ${flags.out}\n`);
      }
      safeIo.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatSummaryTable(result));
      return result.thresholds.some((t) => !t.ok) ? ExitCode.thresholds : ExitCode.ok;
    }));
}

/** Runs with live progress; SIGINT/SIGTERM stop sending and the result comes back with aborted: true. */
export async function runWithSignals(options: LoadOptions, io: CliIO, progress?: 'tty' | 'plain' | 'none'): Promise<LoadResult> {
  const mode = progress ?? options.progress ?? (io.stderr.isTTY ? 'tty' : 'plain');
  const printer = createProgressPrinter(mode, io.stderr);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    io.stderr.write(`\n${signal}: stopping, waiting for requests in flight (up to ${formatDurationMs(options.timeoutMs)})\n`);
    controller.abort();
  };
  if (mode !== 'none') io.stderr.write(`${describe(options)}\n`);
  try {
    return await withStopSignals(onSignal, () => runLoad(options, { signal: controller.signal, onProgress: (p) => printer.update(p) }));
  } finally {
    printer.done();
  }
}

function describe(o: LoadOptions): string {
  const model = o.model === 'open' ? `${o.rate} req/s (open model)` : o.model === 'closed' ? `${o.connections} connections (closed model)` : o.model === 'stages' ? `stages ${(o.stages ?? []).map((s) => `${formatDurationMs(s.durationMs)}:${s.target}`).join(',')}` : `original timing x${o.speed ?? 1}${o.loop ? ', looped' : ''}`;
  const length = o.durationMs !== undefined ? ` for ${formatDurationMs(o.durationMs)}` : '';
  const count = o.requests !== undefined ? `, at most ${o.requests} requests` : '';
  const warm = o.warmupMs > 0 ? ` after ${formatDurationMs(o.warmupMs)} warmup` : '';
  return `vigil: ${o.source.description} → ${o.target || '(absolute urls)'} at ${model}${length}${count}${warm}`;
}
