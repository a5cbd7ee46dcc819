import { downsampleMin } from './stats/downsample.ts';
import { mannKendall } from './stats/mann-kendall.ts';
import { theilSen } from './stats/theil-sen.ts';

export interface TrendOptions {
  /** The series is reduced to at most this many bucket minima before the tests (default 60). */
  readonly maxPoints: number;
  /** Memory limit to project exhaustion against, bytes (cgroup, --memory-limit, GPU total). */
  readonly limitBytes?: number | undefined;
}

export interface Trend {
  /** Raw samples in the window. */
  readonly samples: number;
  /** Points after downsampling (what the tests ran on). */
  readonly points: number;
  readonly spanSeconds: number;
  /** Theil–Sen slope of the bucket minima, bytes/s. */
  readonly slopeBytesPerSecond: number;
  /** Fitted floor at the first sample's time, bytes. */
  readonly interceptBytes: number;
  readonly mannKendallS: number;
  readonly z: number;
  /** Mann–Kendall two-sided p-value. */
  readonly pValue: number;
  readonly latestBytes: number;
  readonly limitBytes: number | null;
  /** Seconds until the limit is reached at this slope; null without a limit, Infinity when not growing. */
  readonly secondsToExhaustion: number | null;
}

/**
 * Trend of one memory series: timestamps in seconds (increasing), values in bytes.
 * Pure: the same input gives the same verdict, so tests and the soak report can recompute it.
 */
export function analyzeTrend(tSeconds: ArrayLike<number>, bytes: ArrayLike<number>, opts: TrendOptions): Trend | undefined {
  const n = tSeconds.length;
  if (n < 3) return undefined;
  const t0 = tSeconds[0] as number;
  const rel = Float64Array.from(tSeconds, (t) => t - t0);
  const { t, v } = downsampleMin(rel, bytes, opts.maxPoints);
  if (t.length < 3) return undefined;
  const fit = theilSen(t, v);
  const mk = mannKendall(v);
  const spanSeconds = (rel[n - 1] as number);
  const latestBytes = bytes[n - 1] as number;
  const limit = opts.limitBytes && opts.limitBytes > 0 ? opts.limitBytes : null;
  return {
    samples: n,
    points: t.length,
    spanSeconds,
    slopeBytesPerSecond: fit.slope,
    interceptBytes: fit.intercept,
    mannKendallS: mk.s,
    z: mk.z,
    pValue: mk.pValue,
    latestBytes,
    limitBytes: limit,
    secondsToExhaustion: limit === null ? null : exhaustionSeconds(limit, Math.max(latestBytes, fit.intercept + fit.slope * spanSeconds), fit.slope),
  };
}

/** Time until `current` reaches `limit` growing at `slope` bytes/s (0 when already there). */
export function exhaustionSeconds(limit: number, current: number, slope: number): number {
  if (current >= limit) return 0;
  if (!(slope > 0)) return Infinity;
  return (limit - current) / slope;
}
