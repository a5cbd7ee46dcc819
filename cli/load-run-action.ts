import { withStopSignals, type CliIO } from './program.ts';
import { ExitCode } from '../common/errors.ts';
import { formatDurationMs } from '../common/duration.ts';
import { createProgressPrinter, formatSummaryTable, resolveLoadOptions, runLoad, type LoadOptions, type LoadResult } from '../load/index.ts';
import { redactResult, scrubberFor, scrubbingStream, secretValues } from '../load/redact.ts';
import { renderLoadReport } from '../load/report/index.ts';
import { loadErrors } from '../load/errors.ts';
import { formatCauses, noResponses } from '../load/summary-table.ts';
import { checkOutputsWritable, writeOutputOrFallback, type OutputFile } from './output-files.ts';
import type { RunFlags } from './load-run.ts';
import { applyPositionalTarget } from './positional-target.ts';

/** `vigil load run`'s action: parse flags → resolveLoadOptions → runLoad → print/write → exit code. */
export async function runLoadRunCommand(scenario: string | undefined, flags: RunFlags, io: CliIO): Promise<number> {
  const options = resolveLoadOptions(applyPositionalTarget(scenario, flags));
  const outputs = { out: { flag: '--out', path: flags.out, what: 'result' }, html: { flag: '--html', path: flags.html, what: 'HTML report' } };
  checkOutputsWritable([outputs.out, outputs.html]);
  // Recorded secrets and the target's credentials are sent, never written: every line goes through the scrubber.
  const scrubber = scrubberFor(options.source).add(secretValues({ headers: {}, url: options.target }));
  const safeIo: CliIO = { stdout: scrubbingStream(io.stdout, scrubber), stderr: scrubbingStream(io.stderr, scrubber) };
  const result = redactResult(await runWithSignals(options, safeIo, flags.progress), scrubber);
  const failures = writeOutputs(result, outputs, safeIo);
  safeIo.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatSummaryTable(result));
  return runExitCode(result, failures, safeIo);
}

type Outputs = Record<'out' | 'html', OutputFile>;

/** Writes --html and --out; a failed write lands in a temp file, reported. Returns how many failed. */
function writeOutputs(result: LoadResult, outputs: Outputs, io: CliIO): number {
  let failures = 0;
  const write = (file: OutputFile, content: () => string, done: string): void => {
    if (file.path === undefined) return;
    const failed = writeOutputOrFallback({ ...file, path: file.path }, content());
    if (failed) { failures++; io.stderr.write(`vigil: error[${failed.code}] ${failed.message}\n`); } else io.stderr.write(`${done} ${file.path}\n`);
  };
  write(outputs.html, () => renderLoadReport(result), 'report written to');
  write(outputs.out, () => `${JSON.stringify(result, null, 2)}\n`, 'results written to');
  return failures;
}

/**
 * The exit code, most urgent first: 105 stopped by a signal (k6's external abort); 1 an output
 * could not be written where asked; 99 a threshold failed; 1 nothing answered at all (every
 * request failed before a response: the target is unreachable), with the causes printed.
 */
function runExitCode(result: LoadResult, outputFailures: number, io: CliIO): number {
  if (result.aborted) return ExitCode.aborted;
  if (outputFailures > 0) return ExitCode.usage;
  if (result.thresholds.some((t) => !t.ok)) return ExitCode.thresholds;
  if (noResponses(result)) {
    const s = result.summary;
    const err = loadErrors.VIGIL_LOAD_NO_RESPONSE({ requests: s.requests, causes: formatCauses(s.errors) });
    io.stderr.write(`vigil: error[${err.code}] ${err.message}\n`);
    return err.exitCode;
  }
  return ExitCode.ok;
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
