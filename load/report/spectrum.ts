import type { Histogram } from 'hdr-histogram-js';
import type { LatencySummaryMs } from '../result.ts';

/**
 * The latency "percentile spectrum" as HdrHistogram, wrk2 and vegeta plot it: latency against
 * percentile, with the percentile on a log scale of 1/(1−p) so that 90 %, 99 %, 99.9 %… are evenly
 * spaced and the tail gets as much room as the body.
 */
export interface SpectrumPoint {
  /** Percentile, 0–100. */
  percentile: number;
  /** 1 / (1 − percentile/100): the x coordinate on the log axis (1 at the minimum). */
  x: number;
  latencyMs: number;
}

/**
 * Points at the percentiles HdrHistogram's percentile iterator visits (`ticksPerHalfDistance` per
 * halving of the remaining tail), up to the last percentile the sample size can resolve, plus the max.
 */
export function percentileSpectrum(h: Histogram, ticksPerHalfDistance = 5): SpectrumPoint[] {
  const n = h.totalCount;
  if (n === 0) return [];
  const points: SpectrumPoint[] = [];
  for (let k = 0; ; k++) {
    const tail = 0.5 ** (k / ticksPerHalfDistance);
    if (1 / tail > n) break;
    const percentile = 100 * (1 - tail);
    points.push({ percentile, x: 1 / tail, latencyMs: h.getValueAtPercentile(percentile) / 1000 });
  }
  // The max sits at the resolution limit of the sample: 1 / (1 − (n−1)/n) = n.
  const maxX = Math.max(n, (points.at(-1)?.x ?? 1) * 1.0001);
  points.push({ percentile: 100 * (1 - 1 / maxX), x: maxX, latencyMs: h.maxValue / 1000 });
  return points;
}

/** Without a histogram (k6 imports) only the summary's percentiles are known: plot those. */
export function spectrumFromSummary(s: Partial<LatencySummaryMs>): SpectrumPoint[] {
  const known: [number, number | undefined][] = [[0, s.min], [50, s.p50], [90, s.p90], [95, s.p95], [99, s.p99], [99.9, s.p999]];
  return known
    .filter((e): e is [number, number] => typeof e[1] === 'number' && Number.isFinite(e[1]))
    .map(([percentile, latencyMs]) => ({ percentile, x: 1 / (1 - percentile / 100), latencyMs }));
}
