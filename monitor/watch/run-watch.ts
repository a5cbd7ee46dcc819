import { Registry } from 'prom-client';
import { ExitCode } from '../../common/errors.ts';
import { writeFileAtomic } from '../../common/atomic-write.ts';
import { parseDurationMs } from '../../common/duration.ts';
import { watchErrors } from './errors.ts';
import { watcherConfigFromFlags, type WatcherFlags } from './flags.ts';
import type { WatcherConfigInput } from './options.ts';
import { buildWatchResult, formatVerdicts, type WatchResult } from './result.ts';
import { serveMetrics } from './server.ts';
import { createWatcher } from './watcher.ts';

export interface WatchCommandFlags extends WatcherFlags {
  port?: string | undefined;
  host?: string | undefined;
  json?: boolean | undefined;
  duration?: string | undefined;
  out?: string | undefined;
}

export interface WatchRunOptions {
  readonly watcher: WatcherConfigInput;
  /** Serve /metrics and /healthz here; absent with --json (it prints instead). */
  readonly listen?: { host: string; port: number };
  readonly durationMs?: number;
  readonly json: boolean;
  readonly out?: string;
}

/** `vigil watch` flags → options. Without --window, a --duration run uses its duration as window. */
export function parseWatchFlags(f: WatchCommandFlags): WatchRunOptions {
  if (f.json && f.duration === undefined) throw watchErrors.VIGIL_WATCH_JSON_NEEDS_DURATION();
  const durationMs = f.duration !== undefined ? parseDurationMs(f.duration, '--duration') : undefined;
  if (durationMs !== undefined && !(durationMs > 0)) throw watchErrors.VIGIL_WATCH_BAD_OPTION({ name: '--duration', value: f.duration, rule: 'must be more than 0' });
  let watcher = watcherConfigFromFlags(f, durationMs !== undefined ? { windowMs: Math.min(600_000, durationMs) } : {});
  if (durationMs !== undefined && f.window === undefined) {
    // The window is the whole run, which start-up latency keeps from ever spanning 90 % of it:
    // a verdict needs half of it instead.
    watcher = { ...watcher, leak: { ...watcher.leak, minSpanSeconds: (watcher.windowMs ?? durationMs) / 2000 } };
  }
  // 8491: outside 9100–9999, the Prometheus project's (fully allocated) exporter range.
  const port = f.port !== undefined ? Number(f.port) : 8491;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw watchErrors.VIGIL_WATCH_BAD_OPTION({ name: '--port', value: f.port, rule: 'a TCP port 0–65535' });
  return {
    watcher,
    // A one-shot run (--duration) prints its verdicts and opens no port unless --port asks for one.
    ...(f.json || (durationMs !== undefined && f.port === undefined) ? {} : { listen: { host: f.host ?? '127.0.0.1', port } }),
    ...(durationMs !== undefined ? { durationMs } : {}),
    json: f.json === true,
    ...(f.out !== undefined ? { out: f.out } : {}),
  };
}

export interface WatchIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Ends a run without --duration (SIGINT/SIGTERM in the CLI). */
  signal: AbortSignal;
}

/** Runs the standalone watcher until --duration or the signal; returns the verdicts and the exit code. */
export async function runWatch(opts: WatchRunOptions, io: WatchIO): Promise<{ result: WatchResult; exitCode: number }> {
  const registry = new Registry();
  const watcher = createWatcher({ ...opts.watcher, registry });
  const server = opts.listen ? await serveMetrics(registry, { ...opts.listen, health: () => health(watcher.snapshot()) }) : undefined;
  if (server) io.stdout.write(`listening ${server.url}\n`);
  watcher.start();
  try {
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) { resolve(); return; }
      const timer = opts.durationMs !== undefined ? setTimeout(resolve, opts.durationMs) : undefined;
      io.signal.addEventListener('abort', () => { if (timer) clearTimeout(timer); resolve(); }, { once: true });
    });
  } finally {
    await watcher.stop();
    await server?.close();
  }
  watcher.evaluateNow();
  const result = buildWatchResult(watcher.snapshot());
  if (opts.out) writeFileAtomic(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  if (opts.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(formatVerdicts(watcher.verdicts()));
  for (const f of result.failures) io.stderr.write(`vigil: ${f.target}: last sample failed: ${f.error}\n`);
  if (result.gpu && !result.gpu.collectSuccess) io.stderr.write(`vigil: GPU sampling failed: ${result.gpu.error ?? 'no GPU'}\n`);
  return { result, exitCode: result.targets.some((t) => t.leakSuspected) ? ExitCode.thresholds : ExitCode.ok };
}

function health(s: ReturnType<ReturnType<typeof createWatcher>['snapshot']>): unknown {
  return {
    status: 'ok',
    targets: s.collect.map((c) => ({ target: c.target, ok: c.ok, ...(c.error ? { error: c.error } : {}) })),
    gpu: s.gpu.configured ? { ok: s.gpu.ok, count: s.gpu.gpus.length, ...(s.gpu.error ? { error: s.gpu.error } : {}) } : 'not configured',
    leakSuspected: s.verdicts.filter((v) => v.leakSuspected).map((v) => v.target),
  };
}
