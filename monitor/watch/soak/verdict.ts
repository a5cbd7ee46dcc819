import { isLeakCandidate, type LeakPolicy } from '../leak.ts';
import { downsampleMin } from '../stats/downsample.ts';
import { analyzeTrend, type Trend } from '../trend.ts';

/** The recorded memory of one target during a soak run (wall-clock ms, bytes). */
export interface SoakSeries {
  readonly target: string;
  readonly kind: string;
  readonly wallMs: readonly number[];
  readonly bytes: readonly number[];
  readonly limitBytes: number | null;
}

export interface SoakVerdict {
  readonly target: string;
  readonly kind: string;
  readonly leakSuspected: boolean;
  /**
   * The run was shorter than SOAK_MIN_SPAN_SECONDS: too short to tell a leak from a healthy heap
   * growing between major GCs, so no verdict either way (leakSuspected is false).
   */
  readonly inconclusive: boolean;
  readonly samples: number;
  readonly spanSeconds: number;
  readonly slopeBytesPerSecond: number | null;
  /** The same slope in MB (10^6 bytes) per hour. */
  readonly slopeMBPerHour: number | null;
  readonly pValue: number | null;
  readonly startBytes: number | null;
  readonly endBytes: number | null;
  readonly limitBytes: number | null;
  /** Projected seconds from the end of the run to the limit; null without a limit or growth. */
  readonly secondsToExhaustion: number | null;
  /** ISO time of the projected OOM, when there is one. */
  readonly projectedOomAt: string | null;
  /** Seconds into the run when the live watcher first suspected a leak (null: never). */
  readonly firstFlaggedAfterSeconds: number | null;
  /** The fitted line, for the chart: floor(t) = intercept + slope·(t − t0), t in wall ms. */
  readonly fit: { t0WallMs: number; interceptBytes: number } | null;
  /** The bucket minima the trend ran on (wall ms, bytes), for the chart. */
  readonly points: { wallMs: number[]; bytes: number[] };
}

/**
 * The shortest soak the leak detector judges, seconds: 20 min. A healthy loaded server's memory
 * still grows for minutes after start (a warm-up plateau: caches, JIT code, pools filling) and
 * between major collections (old-generation creep), and the verdict reads the whole run. Seeded
 * simulation of healthy servers (test/watch/memory-model.ts, `npm run bench:soak-calibration`,
 * BENCHMARKS.md "Soak leak verdict", 1,000 trials each): false-leak rate 69 % at 5 min, 38 % at 10 min, 6 % at 15 min,
 * 0.1 % at 20 min, 0 at 30 and 60 min; a leak of 2 MiB/min is flagged in every trial from 15 min.
 * Shorter runs report "inconclusive" instead of a verdict (`--min-span` overrides it).
 */
export const SOAK_MIN_SPAN_SECONDS = 1200;

/**
 * The end-of-soak verdict over the whole measured run: one trend over all samples (bucket minima),
 * a leak when it is significant and at least the minimum rate (no `sustain`: this is one verdict
 * over the full run, not a sliding decision).
 */
export function soakVerdict(series: SoakSeries, policy: LeakPolicy, maxPoints: number, firstFlaggedAfterSeconds: number | null, minSpanSeconds = SOAK_MIN_SPAN_SECONDS): SoakVerdict {
  const n = series.wallMs.length;
  const t0 = series.wallMs[0] ?? 0;
  const tSeconds = Float64Array.from(series.wallMs, (t) => (t - t0) / 1000);
  const trend: Trend | undefined = analyzeTrend(tSeconds, series.bytes, { maxPoints, limitBytes: series.limitBytes ?? undefined });
  const ds = downsampleMin(tSeconds, series.bytes, maxPoints);
  const exhaustion = trend?.secondsToExhaustion;
  const endWall = series.wallMs[n - 1] ?? t0;
  return {
    target: series.target,
    kind: series.kind,
    leakSuspected: (trend?.spanSeconds ?? 0) >= minSpanSeconds && isLeakCandidate(trend, { ...policy, minSpanSeconds: 0 }),
    inconclusive: (trend?.spanSeconds ?? 0) < minSpanSeconds,
    samples: n,
    spanSeconds: trend?.spanSeconds ?? 0,
    slopeBytesPerSecond: trend?.slopeBytesPerSecond ?? null,
    slopeMBPerHour: trend ? (trend.slopeBytesPerSecond * 3600) / 1e6 : null,
    pValue: trend?.pValue ?? null,
    startBytes: series.bytes[0] ?? null,
    endBytes: series.bytes[n - 1] ?? null,
    limitBytes: trend?.limitBytes ?? series.limitBytes,
    secondsToExhaustion: exhaustion !== undefined && exhaustion !== null && Number.isFinite(exhaustion) ? exhaustion : null,
    projectedOomAt: exhaustion !== undefined && exhaustion !== null && Number.isFinite(exhaustion) ? new Date(endWall + exhaustion * 1000).toISOString() : null,
    firstFlaggedAfterSeconds,
    fit: trend ? { t0WallMs: t0, interceptBytes: trend.interceptBytes } : null,
    points: { wallMs: Array.from(ds.t, (t) => t0 + t * 1000), bytes: Array.from(ds.v) },
  };
}
