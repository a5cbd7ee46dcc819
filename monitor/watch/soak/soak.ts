import { parseDurationMs } from '../../../common/duration.ts';
import { resolveLoadOptions, runLoad, type LoadOptions, type LoadResult, type ProgressSnapshot } from '../../../load/index.ts';
import { DEFAULT_LEAK_POLICY, type LeakPolicy } from '../leak.ts';
import { watcherConfigFromFlags, type WatcherFlags } from '../flags.ts';
import type { WatcherConfigInput } from '../options.ts';
import { createWatcher, type SampleRound } from '../watcher.ts';
import { SOAK_MIN_SPAN_SECONDS, soakVerdict, type SoakSeries, type SoakVerdict } from './verdict.ts';

export interface SoakFlags extends WatcherFlags {
  duration?: string | undefined;
  warmup?: string | undefined;
  out?: string | undefined;
  html?: string | undefined;
  json?: boolean | undefined;
  progress?: 'tty' | 'plain' | 'none' | undefined;
  minSpan?: string | undefined;
}

export interface SoakOptions {
  readonly scenario: string;
  /** Shortest measured span that gets a verdict, seconds (default SOAK_MIN_SPAN_SECONDS); shorter: inconclusive. */
  readonly minSpanSeconds: number;
  readonly load: LoadOptions;
  readonly watcher: WatcherConfigInput;
  readonly out?: string;
  readonly html?: string;
  readonly json: boolean;
}

/** `vigil soak SCENARIO.yaml` flags → options (load options from the scenario, watcher from the flags). */
export function parseSoakFlags(scenarioFile: string, f: SoakFlags): SoakOptions {
  const load = resolveLoadOptions({ scenarioFile, duration: f.duration, warmup: f.warmup, progress: f.progress });
  const runMs = (load.durationMs ?? 600_000) + load.warmupMs;
  let watcher = watcherConfigFromFlags(f, { windowMs: Math.min(600_000, runMs) });
  if (f.window === undefined) watcher = { ...watcher, leak: { ...watcher.leak, minSpanSeconds: (watcher.windowMs ?? runMs) / 2000 } };
  return {
    scenario: load.scenario ?? scenarioFile,
    minSpanSeconds: f.minSpan !== undefined ? parseDurationMs(f.minSpan, '--min-span') / 1000 : SOAK_MIN_SPAN_SECONDS,
    load,
    watcher,
    ...(f.out !== undefined ? { out: f.out } : {}),
    ...(f.html !== undefined ? { html: f.html } : {}),
    json: f.json === true,
  };
}

export interface SoakResult {
  readonly schema: 'vigil.soak.result/v1';
  readonly scenario: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly aborted: boolean;
  readonly load: { requests: number; qps: number; p99Ms: number; errorRate: number };
  readonly leakSuspected: boolean;
  readonly targets: readonly SoakVerdict[];
  /** Targets whose last sample failed (the process exited, the endpoint went down), with the reason. */
  readonly failures: readonly { target: string; error: string }[];
}

/**
 * A long load run (the load engine's runLoad) with the watcher sampling alongside; after the run,
 * one verdict per watched series over the whole measured part (warmup excluded).
 */
export async function runSoak(opts: SoakOptions, hooks: { signal?: AbortSignal; onProgress?: (p: ProgressSnapshot) => void } = {}): Promise<{ result: SoakResult; series: SoakSeries[]; load: LoadResult }> {
  const startWall = Date.now();
  const measureFrom = startWall + opts.load.warmupMs;
  const recorded = new Map<string, { target: string; kind: string; wallMs: number[]; bytes: number[] }>();
  const firstFlagged = new Map<string, number>();
  const watcher = createWatcher({
    ...opts.watcher,
    onSample: (round: SampleRound) => {
      if (round.wallMs < measureFrom) return;
      for (const m of round.memory) {
        const key = `${m.target}\u0000${m.kind}`;
        const r = recorded.get(key) ?? { target: m.target, kind: m.kind, wallMs: [], bytes: [] };
        recorded.set(key, r);
        r.wallMs.push(round.wallMs);
        r.bytes.push(m.bytes);
      }
    },
  });
  const flagWatch = setInterval(() => {
    for (const v of watcher.verdicts()) {
      if (v.leakSuspected && !firstFlagged.has(v.target)) firstFlagged.set(v.target, (Date.now() - startWall) / 1000);
    }
  }, 250);
  flagWatch.unref();
  watcher.start();
  let load: LoadResult;
  try {
    load = await runLoad(opts.load, hooks);
  } finally {
    clearInterval(flagWatch);
    await watcher.stop();
  }
  const policy: LeakPolicy = { ...DEFAULT_LEAK_POLICY, ...stripUndefined(watcher.config.leak) };
  const series: SoakSeries[] = [];
  const targets: SoakVerdict[] = [];
  for (const v of watcher.evaluateNow()) {
    const r = recorded.get(`${v.target}\u0000${v.kind}`);
    if (!r || r.wallMs.length === 0) continue;
    const s: SoakSeries = { ...r, limitBytes: v.limitBytes };
    series.push(s);
    targets.push(soakVerdict(s, policy, watcher.config.maxPoints, firstFlagged.get(v.target) ?? null, opts.minSpanSeconds));
  }
  const result: SoakResult = {
    schema: 'vigil.soak.result/v1',
    scenario: opts.scenario,
    startedAt: new Date(startWall).toISOString(),
    endedAt: new Date().toISOString(),
    aborted: load.aborted,
    load: { requests: load.summary.requests, qps: load.summary.qps, p99Ms: load.summary.latencyMs.p99, errorRate: load.summary.errors.rate },
    leakSuspected: targets.some((t) => t.leakSuspected),
    targets,
    failures: watcher.snapshot().collect.filter((c) => !c.ok).map((c) => ({ target: c.target, error: c.error ?? 'failed' })),
  };
  return { result, series, load };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
