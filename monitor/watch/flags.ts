import { parseDurationMs } from '../../common/duration.ts';
import { parseSizeBytes } from '../../common/units.ts';
import { watchErrors } from './errors.ts';
import type { TargetSpec, WatcherConfigInput } from './options.ts';
import { parseMetricSelector } from './samplers/prometheus.ts';
import { parseGrowthRate } from './rate.ts';

/** The raw flags `vigil watch` and `vigil soak` share (strings as typed). */
export interface WatcherFlags {
  watchPid?: string[] | undefined;
  watchMetricsUrl?: string[] | undefined;
  watchMetric?: string | undefined;
  watchSelf?: boolean | undefined;
  gpu?: boolean | undefined;
  nvidiaSmi?: string | undefined;
  gpuTimeout?: string | undefined;
  dcgmUrl?: string | undefined;
  sampleInterval?: string | undefined;
  window?: string | undefined;
  evaluateInterval?: string | undefined;
  memoryLimit?: string | undefined;
  alpha?: string | undefined;
  minGrowth?: string | undefined;
  sustain?: string | undefined;
  label?: string[] | undefined;
}

/** Flags → the watcher's options; every bad value is a coded error naming the flag. */
export function watcherConfigFromFlags(f: WatcherFlags, defaults: { windowMs?: number } = {}): WatcherConfigInput {
  const targets: TargetSpec[] = [];
  for (const p of f.watchPid ?? []) {
    if (!/^\d+$/.test(p) || Number(p) <= 0) throw watchErrors.VIGIL_WATCH_BAD_PID({ name: '--watch-pid', value: p });
    targets.push({ kind: 'pid', pid: Number(p) });
  }
  if (f.watchMetric !== undefined && !parseMetricSelector(f.watchMetric)) throw watchErrors.VIGIL_WATCH_BAD_METRIC({ value: f.watchMetric });
  for (const url of f.watchMetricsUrl ?? []) {
    targets.push({ kind: 'metrics-url', url: httpUrl('--watch-metrics-url', url), ...(f.watchMetric !== undefined ? { metric: f.watchMetric } : {}) });
  }
  if (f.watchSelf) targets.push({ kind: 'self' });
  const gpuTimeoutMs = f.gpuTimeout !== undefined ? parseDurationMs(f.gpuTimeout, '--gpu-timeout') : undefined;
  if (f.gpu || f.nvidiaSmi !== undefined) {
    targets.push({ kind: 'nvidia-smi', ...(f.nvidiaSmi !== undefined ? { binary: f.nvidiaSmi } : {}), ...(gpuTimeoutMs !== undefined ? { timeoutMs: gpuTimeoutMs } : {}) });
  }
  if (f.dcgmUrl !== undefined) targets.push({ kind: 'dcgm', url: httpUrl('--dcgm-url', f.dcgmUrl), ...(gpuTimeoutMs !== undefined ? { timeoutMs: gpuTimeoutMs } : {}) });
  if (targets.length === 0) throw watchErrors.VIGIL_WATCH_NO_TARGET();

  const sampleIntervalMs = f.sampleInterval !== undefined ? positiveDuration('--sample-interval', f.sampleInterval) : 1000;
  // A window derived from a short --duration still holds 3 samples.
  const windowMs = f.window !== undefined ? positiveDuration('--window', f.window) : Math.max(defaults.windowMs ?? 600_000, 3 * sampleIntervalMs);
  if (windowMs < 3 * sampleIntervalMs) throw watchErrors.VIGIL_WATCH_BAD_OPTION({ name: '--window', value: f.window ?? `${windowMs}ms`, rule: 'the window must hold at least 3 samples (≥ 3 × --sample-interval)' });
  const leak: NonNullable<WatcherConfigInput['leak']> = {};
  if (f.alpha !== undefined) {
    const a = Number(f.alpha);
    if (!(a > 0 && a < 1)) throw watchErrors.VIGIL_WATCH_BAD_OPTION({ name: '--alpha', value: f.alpha, rule: 'a significance level strictly between 0 and 1, e.g. 0.01' });
    leak.alpha = a;
  }
  if (f.minGrowth !== undefined) leak.minSlopeBytesPerSecond = parseGrowthRate(f.minGrowth, '--min-growth');
  if (f.sustain !== undefined) {
    if (!/^\d+$/.test(f.sustain) || Number(f.sustain) < 1) throw watchErrors.VIGIL_WATCH_BAD_OPTION({ name: '--sustain', value: f.sustain, rule: 'a whole number of evaluations ≥ 1' });
    leak.sustain = Number(f.sustain);
  }
  const labels: Record<string, string> = {};
  for (const l of f.label ?? []) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)=(.*)$/.exec(l);
    if (!m || ['target', 'kind', 'gpu'].includes(m[1] as string)) throw watchErrors.VIGIL_WATCH_BAD_OPTION({ name: '--label', value: l, rule: 'name=value with a Prometheus label name other than target, kind, gpu' });
    labels[m[1] as string] = m[2] as string;
  }
  return {
    targets,
    sampleIntervalMs,
    windowMs,
    ...(f.evaluateInterval !== undefined ? { evaluateIntervalMs: positiveDuration('--evaluate-interval', f.evaluateInterval) } : {}),
    ...(f.memoryLimit !== undefined ? { memoryLimitBytes: positiveSize('--memory-limit', f.memoryLimit) } : {}),
    leak,
    labels,
  };
}

function httpUrl(name: string, value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return value;
  } catch { /* reported below */ }
  throw watchErrors.VIGIL_WATCH_BAD_URL({ name, value });
}

function positiveDuration(name: string, value: string): number {
  const ms = parseDurationMs(value, name);
  if (!(ms > 0)) throw watchErrors.VIGIL_WATCH_BAD_OPTION({ name, value, rule: 'must be more than 0' });
  return ms;
}

function positiveSize(name: string, value: string): number {
  const b = parseSizeBytes(value, name);
  if (!(b > 0)) throw watchErrors.VIGIL_WATCH_BAD_OPTION({ name, value, rule: 'must be more than 0 bytes' });
  return b;
}
