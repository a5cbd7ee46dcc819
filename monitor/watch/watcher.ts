import type { Registry } from 'prom-client';
import { watchErrors } from './errors.ts';
import { INITIAL_LEAK_STATE, stepLeak, type LeakPolicy, type LeakState } from './leak.ts';
import { registerWatchMetrics, type TargetVerdict, type WatchSnapshot } from './metrics.ts';
import { parseWatcherConfig, type WatcherConfig, type WatcherConfigInput } from './options.ts';
import { samplerFor } from './samplers/from-spec.ts';
import { SlidingSeries } from './series.ts';
import { analyzeTrend, type Trend } from './trend.ts';
import type { GpuReading, MemoryReading, Sampler, SampleResult } from './types.ts';

export interface WatcherOptions extends WatcherConfigInput {
  /** When given, the watcher's metrics are registered on it (the monitor passes its own). */
  registry?: Registry;
  /** Extra samplers besides `targets` (tests, embedders). */
  samplers?: Sampler[];
  /** Monotonic clock in ms (default performance.now). */
  now?: () => number;
  /** Called after every sampling round with what was read (soak runs record the full history). */
  onSample?: (round: SampleRound) => void;
}

export interface SampleRound {
  /** Clock of the round (ms, `now()`), and wall-clock time (ms since epoch). */
  readonly tMs: number;
  readonly wallMs: number;
  readonly memory: readonly MemoryReading[];
  readonly gpus: readonly GpuReading[];
}

export interface Watcher {
  readonly config: Readonly<WatcherConfig>;
  /** Starts periodic sampling (timers are unref'd: they do not keep the process alive). */
  start(): void;
  /** Stops sampling and waits for a round in progress. */
  stop(): Promise<void>;
  /** One sampling round now (also what the timer runs). */
  sampleNow(): Promise<void>;
  /** Recomputes every trend and steps the leak decision. */
  evaluateNow(): readonly TargetVerdict[];
  /** Latest verdicts (from the last evaluation). */
  verdicts(): readonly TargetVerdict[];
  snapshot(): WatchSnapshot;
}

interface Tracked { target: string; kind: string; series: SlidingSeries; limitBytes?: number; trend?: Trend; leak: LeakState }

/** The resource and leak watcher: samplers on a timer, sliding windows, trends, leak verdicts, metrics. */
export function createWatcher(options: WatcherOptions): Watcher {
  const { registry, samplers: extraSamplers, now = () => performance.now(), onSample, ...input } = options;
  const config = parseWatcherConfig(input);
  const policy: LeakPolicy = { ...config.leak, minSpanSeconds: config.leak.minSpanSeconds ?? (0.9 * config.windowMs) / 1000 };
  const evaluateEveryMs = config.evaluateIntervalMs ?? Math.max(config.sampleIntervalMs, config.windowMs / 20);
  const samplers = [...config.targets.map(samplerFor), ...(extraSamplers ?? [])];
  if (samplers.length === 0) throw watchErrors.VIGIL_WATCH_NO_TARGET();
  const tracked = new Map<string, Tracked>();
  let memory: MemoryReading[] = [];
  const collect = new Map<string, { target: string; ok: boolean; error?: string }>();
  const gpuSamplers = samplers.filter((s) => s.type === 'gpu');
  let gpu: WatchSnapshot['gpu'] = { configured: gpuSamplers.length > 0, ok: false, gpus: [] };
  let verdicts: TargetVerdict[] = [];
  let lastEvalMs = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const stopCtl = new AbortController();

  const track = (target: string, kind: string, tMs: number, bytes: number, limitBytes: number | undefined): void => {
    const key = `${target}\u0000${kind}`;
    let t = tracked.get(key);
    if (!t) { t = { target, kind, series: new SlidingSeries(config.windowMs), leak: INITIAL_LEAK_STATE }; tracked.set(key, t); }
    t.series.push(tMs, bytes);
    t.limitBytes = config.memoryLimitBytes ?? limitBytes;
  };

  const record = (tMs: number, results: readonly SampleResult[]): SampleRound => {
    const mem: MemoryReading[] = [];
    const gpus = new Map<string, GpuReading>();
    let gpuError: string | undefined;
    results.forEach((r, i) => {
      const s = samplers[i] as Sampler;
      if (s.type === 'memory') collect.set(s.target, r.ok ? { target: s.target, ok: true } : { target: s.target, ok: false, error: r.error });
      if (!r.ok) { if (s.type === 'gpu') gpuError = r.error; return; }
      mem.push(...r.memory);
      const primary = r.memory.find((m) => m.kind === s.primaryKind);
      if (primary) track(s.target, primary.kind, tMs, primary.bytes, r.limitBytes);
      for (const g of r.gpus) if (!gpus.has(g.gpu)) gpus.set(g.gpu, g);
    });
    for (const g of gpus.values()) {
      if (g.memoryUsedBytes === undefined) continue;
      // GPU memory is a watched series too: target gpu:N, limit = the GPU's total memory.
      mem.push({ target: `gpu:${g.gpu}`, kind: 'gpu_memory_used', bytes: g.memoryUsedBytes });
      track(`gpu:${g.gpu}`, 'gpu_memory_used', tMs, g.memoryUsedBytes, g.memoryTotalBytes);
    }
    memory = mem;
    gpu = { configured: gpuSamplers.length > 0, ok: gpus.size > 0, gpus: [...gpus.values()], ...(gpus.size === 0 && gpuError ? { error: gpuError } : {}) };
    return { tMs, wallMs: Date.now(), memory: mem, gpus: [...gpus.values()] };
  };

  const evaluateNow = (): readonly TargetVerdict[] => {
    const tMs = now();
    lastEvalMs = tMs;
    verdicts = [...tracked.values()].map((t) => {
      t.series.trim(tMs);
      const { tSeconds, bytes } = t.series.toArrays();
      t.trend = analyzeTrend(tSeconds, bytes, { maxPoints: config.maxPoints, limitBytes: t.limitBytes });
      t.leak = stepLeak(t.trend, policy, t.leak);
      return toVerdict(t);
    });
    return verdicts;
  };

  const sampleNow = async (): Promise<void> => {
    const results = await Promise.all(samplers.map((s) => s.sample(stopCtl.signal).catch((err: unknown) => ({ ok: false as const, error: String(err) }))));
    // A round cut short by stop() read nothing real: keep the last complete state.
    if (stopCtl.signal.aborted) return;
    const tMs = now();
    const round = record(tMs, results);
    onSample?.(round);
    if (tMs - lastEvalMs >= evaluateEveryMs - 1) evaluateNow();
  };

  const tick = (): void => {
    const started = now();
    running = sampleNow().finally(() => {
      running = undefined;
      if (stopCtl.signal.aborted) return;
      // Fixed rate without overlap: a slow round (a hung nvidia-smi) delays the next, never doubles it.
      timer = setTimeout(tick, Math.max(0, config.sampleIntervalMs - (now() - started)));
      timer.unref();
    });
  };

  const snapshot = (): WatchSnapshot => ({ memory, collect: [...collect.values()], verdicts, gpu });
  if (registry) registerWatchMetrics(registry, snapshot, config.labels);

  return {
    config,
    start: () => { if (!timer && !running && !stopCtl.signal.aborted) tick(); },
    stop: async () => {
      stopCtl.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
    sampleNow,
    evaluateNow,
    verdicts: () => verdicts,
    snapshot,
  };
}

function toVerdict(t: Tracked): TargetVerdict {
  const tr = t.trend;
  return {
    target: t.target,
    kind: t.kind,
    leakSuspected: t.leak.suspected,
    consecutive: t.leak.consecutive,
    slopeBytesPerSecond: tr?.slopeBytesPerSecond ?? null,
    pValue: tr?.pValue ?? null,
    samples: t.series.length,
    spanSeconds: tr?.spanSeconds ?? 0,
    latestBytes: tr?.latestBytes ?? null,
    limitBytes: tr?.limitBytes ?? t.limitBytes ?? null,
    secondsToExhaustion: tr?.secondsToExhaustion ?? null,
  };
}
