import { z } from 'zod';
import { basename, extname } from 'node:path';
import { parseDurationMs } from '../common/duration.ts';
import { parseSizeBytes } from '../common/units.ts';
import { deepFreeze, loadConfigFile, validateConfig } from '../common/config.ts';
import { MMD_AGGREGATES } from './drift/mmd.ts';
import { FAMILY_METHODS } from './drift/family.ts';
import { PROTOCOLS } from './protocols/codec.ts';
import { parseJsonPath } from './protocols/json.ts';

/**
 * The monitor's configuration: one zod schema (unknown keys rejected), defaults beside it,
 * validated once at the boundary (config file merged with flags), frozen after.
 * Durations accept `30s`/`250ms`; sizes accept `1MiB`; both are stored in ms/bytes.
 */
const duration = (name: string) => z.union([z.string(), z.number()]).transform((v, ctx) => {
  try { return parseDurationMs(v, name); } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); return z.NEVER; }
});
const size = (name: string) => z.union([z.string(), z.number()]).transform((v, ctx) => {
  try { return parseSizeBytes(v, name); } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); return z.NEVER; }
});
/** A JSON path into a request/response body: `inputs`, `data.instances`, `$`, `$[0]`, `items[2].x`. */
const jsonPath = z.string().superRefine((v, ctx) => {
  try { parseJsonPath(v); } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); }
});

const WINDOW_SAMPLES = z.number().int().min(10).max(1_000_000);

export const monitorConfigSchema = z.object({
  /** Reference ONNX model; without it only input drift is watched (no parity, no output drift). */
  model: z.string().min(1).optional(),
  /** Expected SHA-256 (hex) of the model file; a mismatch refuses to start. */
  modelSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hex digits').optional(),
  /** The scored output of the model (default: the float probabilities, or the only float output). */
  modelOutput: z.string().min(1).optional(),
  /** Value of the `model` label on every series (default: the model file's base name). */
  modelName: z.string().min(1).optional(),
  /** Reference set: JSONL (`{"features": [...]}`, arrays or objects) or CSV with a header. */
  reference: z.string().min(1),
  host: z.string().default('127.0.0.1'),
  /** 0 picks a free port. */
  // Outside 9100–9999, the range the Prometheus project allocates to exporters (9400 is dcgm-exporter's).
  port: z.number().int().min(0).max(65535).default(8490),
  /** Proxy (shadow) mode: base URL of the deployed endpoint. */
  upstream: z.url().optional(),
  upstreamTimeout: duration('upstreamTimeout').default(30_000),
  /** On SIGTERM, how long in-flight (proxied) requests may take to finish before their connections are closed. */
  drainTimeout: duration('drainTimeout').default(10_000),
  /**
   * A missing value (JSON null in an observation, an empty CSV cell or null in the reference):
   * `test` (default) keeps it as data — its rate is tested per feature in the family, KS uses the
   * observed values, MMD imputes the reference median; `reject` refuses the batch (the old behaviour).
   */
  missing: z.enum(['test', 'reject']).default('test'),
  /**
   * Feature types, by name; undeclared columns are categorical when the reference holds a string
   * in them, numeric otherwise. Categorical features are tested by chi-square (not KS/MMD).
   */
  features: z.array(z.object({ name: z.string().min(1), type: z.enum(['numeric', 'categorical']) }).strict()).default([]),
  /**
   * The sliding window: the last N samples (`500`, or `{samples: 500}`), or the samples observed
   * within a duration (`{duration: '10m'}`, at most `maxSamples` rows, default 100,000).
   */
  window: z.union([
    WINDOW_SAMPLES,
    z.object({ samples: WINDOW_SAMPLES }).strict(),
    z.object({ duration: duration('window.duration').pipe(z.number().min(100, 'at least 100ms')), maxSamples: WINDOW_SAMPLES.default(100_000) }).strict(),
  ]).default(500),
  /** Evaluate after this many new samples ... */
  evaluateEvery: z.number().int().min(1).default(100),
  /**
   * ... or after this long with new samples (or, with a duration window, rows aged out), whichever
   * comes first. Default 30s; with a duration window min(30s, duration / 4).
   */
  evaluateInterval: duration('evaluateInterval').optional(),
  /** Least time between the starts of two scheduled evaluations (bounds the worker's CPU share). */
  evaluateMinGap: duration('evaluateMinGap').default(1000),
  /** A drift verdict older than this is stale: gauges withdrawn, vigil_drift_stale 1, `VigilDriftStale`. */
  staleAfter: duration('staleAfter').default(900_000),
  /** Durable state: windows, history and the reference in force survive restarts (journal + snapshot). */
  stateDir: z.string().min(1).optional(),
  /** How often the journal is fsynced: at most this much of the last observations is lost after kill -9. */
  stateFsyncInterval: duration('stateFsyncInterval').default(1000),
  /** How often the whole state is snapshotted (and the journal emptied). */
  stateSnapshotInterval: duration('stateSnapshotInterval').default(60_000),
  /** Refuse to start when the windows and one evaluation would need more than this (estimate; see README). */
  maxMemory: size('maxMemory').optional(),
  /** Minimum samples in the window before the first evaluation. */
  minSamples: z.number().int().min(2).default(20),
  tokensFile: z.string().optional(),
  insecureNoAuth: z.boolean().default(false),
  /** Require a viewer token on /metrics (default: open, as Prometheus scrapes without one). */
  metricsAuth: z.boolean().default(false),
  bodyLimit: size('bodyLimit').default(1024 * 1024),
  proxy: z.object({
    /** Route forwarded to the upstream (same path upstream). */
    /** Wire format: which paths are forwarded and observed, and how rows are read (see monitor/protocols). */
    protocol: z.enum(PROTOCOLS).default('json'),
    /** json protocol: the route forwarded to the upstream (same path upstream). */
    path: z.string().regex(/^\/[\w\-./:]*$/, 'an absolute path such as /predict').default('/predict'),
    /** Where the inputs are in the request body. */
    inputs: jsonPath.default('inputs'),
    /** Where the outputs are in the response body. */
    outputs: jsonPath.default('outputs'),
    /** kserve-v2 / tfserving: the input tensor read as the feature matrix (default: the only one, or one tensor per feature, or the first). */
    inputTensor: z.string().min(1).optional(),
    /** kserve-v2 / tfserving: the output tensor compared with the reference model (default: the only or first one). */
    outputTensor: z.string().min(1).optional(),
    /** Bodies up to this size are copied for observation; larger exchanges are forwarded and counted unobserved. */
    observeMaxBytes: size('proxy.observeMaxBytes').default(8 * 1024 * 1024),
  }).strict().default({ protocol: 'json', path: '/predict', inputs: 'inputs', outputs: 'outputs', observeMaxBytes: 8 * 1024 * 1024 }),
  drift: z.object({
    alpha: z.number().gt(0).lt(1).default(0.05),
    correction: z.enum(['bonferroni', 'fdr']).default('bonferroni'),
    /** One decision per evaluation over every test: minp (permutation Westfall–Young) or holm. */
    family: z.enum(FAMILY_METHODS).default('minp'),
    permutations: z.number().int().min(10).max(10_000).default(100),
    seed: z.number().int().default(1),
    /**
     * Gaussian kernel bandwidth(s) in feature units; default: median heuristic on the reference.
     * `null` clears it (how `--sigma 0.5x` on the command line overrides a `sigma` in the file).
     */
    sigma: z.union([z.number().positive(), z.array(z.number().positive()).min(1)]).nullish(),
    /** Bandwidths as multiples of the median heuristic, e.g. [0.5, 1, 2] (not with sigma); `null` clears it. */
    sigmaScale: z.array(z.number().positive()).min(1).nullish(),
    /** Several bandwidths: mean (average the kernels) or minp (smallest calibrated p-value decides). */
    aggregate: z.enum(MMD_AGGREGATES).default('mean'),
    /** Rows per side MMD uses at most: above, a seeded uniform subsample (its kernel memory grows with rows²). KS uses every row. */
    mmdMaxSamples: z.number().int().min(20).max(1_000_000).default(5000),
    /**
     * The online detector (drift/online.ts): scores the last `window` samples every `step` samples
     * and raises vigil_drift_alarm; on no-drift traffic the mean number of samples between false
     * alarms is `ert`. Calibrated by `simulations` simulated streams at start and on reference change.
     */
    online: z.object({
      enabled: z.boolean().default(true),
      ert: z.number().int().min(10).max(1e9).default(10_000),
      window: z.number().int().min(10).max(100_000).default(100),
      step: z.number().int().min(1).max(100_000).default(50),
      simulations: z.number().int().min(20).max(100_000).default(200),
    }).strict().refine((o) => o.step <= o.window, { message: 'step must not exceed window', path: ['step'] })
      .refine((o) => o.ert > o.window, { message: 'ert must exceed window (samples)', path: ['ert'] })
      .default({ enabled: true, ert: 10_000, window: 100, step: 50, simulations: 200 }),
  }).strict().refine((d) => d.sigma == null || d.sigmaScale == null, { message: 'give sigma or sigmaScale, not both', path: ['sigmaScale'] })
    .default({ alpha: 0.05, correction: 'bonferroni', family: 'minp', permutations: 100, seed: 1, aggregate: 'mean', mmdMaxSamples: 5000, online: { enabled: true, ert: 10_000, window: 100, step: 50, simulations: 200 } }),
  parity: z.object({
    /** Max abs difference at or under which deployed and reference outputs count as equal. */
    tolerance: z.number().min(0).default(1e-4),
  }).strict().default({ tolerance: 1e-4 }),
  batching: z.object({
    maxBatch: z.number().int().min(1).max(4096).default(32),
    maxDelayMs: z.number().min(0).max(1000).default(2),
  }).strict().default({ maxBatch: 32, maxDelayMs: 2 }),
  /** The resource and leak watcher (monitor/watch) on the monitor's own registry. */
  watch: z.object({
    enabled: z.boolean().default(true),
    /** Sample GPUs with nvidia-smi: `auto` (default) only where nvidia-smi is on PATH, so a host without GPUs raises no GPU alert. */
    gpu: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    /** Other local processes to watch (e.g. the model server's PID). */
    pids: z.array(z.number().int().positive()).default([]),
    /** Prometheus endpoints of remote targets (process_resident_memory_bytes). */
    metricsUrls: z.array(z.url()).default([]),
    sampleInterval: duration('watch.sampleInterval').default(5000),
    window: duration('watch.window').default(600_000),
    memoryLimit: size('watch.memoryLimit').optional(),
  }).strict().default({ enabled: true, gpu: 'auto', pids: [], metricsUrls: [], sampleInterval: 5000, window: 600_000 }),
  /** Evaluations kept for GET /v1/drift and the live page. */
  history: z.number().int().min(1).max(100_000).default(500),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).strict();

export type MonitorConfigInput = z.input<typeof monitorConfigSchema>;
export type MonitorConfig = Readonly<Omit<z.output<typeof monitorConfigSchema>, 'window' | 'evaluateInterval'> & {
  /** Rows the window holds at most: the sample count, or a duration window's maxSamples. */
  window: number;
  /** A duration window's length in ms; undefined for a count window. */
  windowDuration: number | undefined;
  evaluateInterval: number;
  modelLabel: string;
}>;

/** What GET /v1/status and /v1/drift say of the window. */
export function windowDescription(config: MonitorConfig): { kind: 'samples'; samples: number } | { kind: 'duration'; durationMs: number; maxSamples: number } {
  return config.windowDuration === undefined ? { kind: 'samples', samples: config.window } : { kind: 'duration', durationMs: config.windowDuration, maxSamples: config.window };
}

/** Validates a plain object (config file contents merged with flags). `origin` names it in errors. */
export function parseMonitorConfig(raw: unknown, origin = 'monitor config'): MonitorConfig {
  const cfg = validateConfig(raw, origin, monitorConfigSchema);
  const modelLabel = cfg.modelName ?? (cfg.model ? basename(cfg.model, extname(cfg.model)) : 'none');
  const w = cfg.window;
  const window = typeof w === 'number' ? w : 'samples' in w ? w.samples : w.maxSamples;
  const windowDuration = typeof w === 'object' && 'duration' in w ? w.duration : undefined;
  const evaluateInterval = cfg.evaluateInterval ?? (windowDuration === undefined ? 30_000 : Math.min(30_000, Math.max(50, Math.round(windowDuration / 4))));
  return deepFreeze({ ...cfg, window, windowDuration, evaluateInterval, modelLabel });
}

/** Reads `--config FILE` (YAML/JSON), then lets flags override its keys. */
export function resolveMonitorConfig(file: string | undefined, flags: Record<string, unknown>): MonitorConfig {
  // The file is read raw and validated once, together with the flags, so values are never parsed twice.
  const fromFile = file ? loadConfigFile(file, z.record(z.string(), z.unknown())) : {};
  const merged: Record<string, unknown> = { ...structuredClone(fromFile) };
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    merged[key] = mergeDeep(merged[key], value);
  }
  return parseMonitorConfig(merged, file ?? 'flags');
}

/** Flags override the file key by key, at any depth (`--ert` keeps the file's drift.online.window). */
function mergeDeep(base: unknown, value: unknown): unknown {
  if (!isPlainObject(value) || !isPlainObject(base)) return value;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = mergeDeep(base[k], v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
