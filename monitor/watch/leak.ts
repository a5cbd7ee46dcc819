import type { Trend } from './trend.ts';

/** When a growing series counts as a leak. Defaults in `DEFAULT_LEAK_POLICY`. */
export interface LeakPolicy {
  /** Mann–Kendall p-value below which the trend is significant. */
  readonly alpha: number;
  /** Theil–Sen slope at or above which growth matters, bytes/s. */
  readonly minSlopeBytesPerSecond: number;
  /** Consecutive evaluations the first two conditions must hold before a leak is suspected. */
  readonly sustain: number;
  /** Fewest raw samples in the window for a verdict. */
  readonly minSamples: number;
  /** Shortest span of the window for a verdict, seconds. */
  readonly minSpanSeconds: number;
}

/**
 * alpha 0.01; 1 MiB/min (≈ 17.5 KiB/s, 60 MiB/h, 1.4 GiB/day: a leak that kills a 4 GiB container
 * within three days); three consecutive evaluations; 10 samples. The watcher sets minSpanSeconds to
 * 90 % of its window, so start-up growth in a half-empty window cannot raise the flag.
 *
 * The window must span several major GC cycles of the target: inside one cycle the heap of a
 * healthy process only grows (a healthy Node fixture under load creeps ~60 KiB/s between major
 * collections). The default 10-minute window does; short test windows raise minSlope instead.
 */
export const DEFAULT_LEAK_POLICY: LeakPolicy = Object.freeze({
  alpha: 0.01,
  minSlopeBytesPerSecond: 1024 * 1024 / 60,
  sustain: 3,
  minSamples: 10,
  minSpanSeconds: 0,
});

export interface LeakState {
  /** Consecutive evaluations that met the conditions. */
  readonly consecutive: number;
  readonly suspected: boolean;
  /** Whether this evaluation met the conditions. */
  readonly candidate: boolean;
}

export const INITIAL_LEAK_STATE: LeakState = Object.freeze({ consecutive: 0, suspected: false, candidate: false });

/** One evaluation step of the leak decision. Pure. */
export function stepLeak(trend: Trend | undefined, policy: LeakPolicy, prev: LeakState): LeakState {
  const candidate = isLeakCandidate(trend, policy);
  const consecutive = candidate ? prev.consecutive + 1 : 0;
  return { consecutive, suspected: consecutive >= policy.sustain, candidate };
}

export function isLeakCandidate(trend: Trend | undefined, policy: LeakPolicy): boolean {
  if (!trend) return false;
  return trend.samples >= policy.minSamples
    && trend.spanSeconds >= policy.minSpanSeconds
    && trend.mannKendallS > 0
    && trend.pValue < policy.alpha
    && trend.slopeBytesPerSecond >= policy.minSlopeBytesPerSecond;
}
