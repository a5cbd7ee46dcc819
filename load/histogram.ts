/**
 * HdrHistogram helpers. Latencies are recorded in integer microseconds; summaries are reported
 * in milliseconds. Histograms are merged by adding them (never by averaging percentiles) and
 * travel as hdr-histogram-js's compressed base64 encoding.
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { LatencySummaryMs } from './result.ts';
import { loadErrors } from './errors.ts';

export type { Histogram };

/** 1 µs .. 1 h (auto-resizes beyond), 3 significant digits: 0.1 % value resolution. */
export function createHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, bitBucketSize: 32, autoResize: true, useWebAssembly: false });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(b64: string): Histogram {
  try {
    return hdr.decodeFromCompressedBase64(b64, 32, false);
  } catch (err) {
    throw loadErrors.VIGIL_LOAD_HISTOGRAM_INVALID({ reason: (err as Error).message });
  }
}

/** Adds `from` into `into` (exact: bucket counts add). */
export function mergeHistogramInto(into: Histogram, from: Histogram): void {
  into.add(from);
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * µs → ms, clamped to the recorded max. A percentile is reported as the highest value equivalent
 * to its bucket (up to 0.1 % above any recorded value), so P99.9 could print above max; a
 * percentile never exceeds the largest sample, so it is clamped to it (the same holds for min).
 */
function clampedMs(h: Histogram): (us: number) => number {
  const max = h.maxValue;
  return (us: number): number => round3(Math.min(us, max) / 1000);
}

/**
 * Percentiles and max only, in ms. hdr-histogram-js computes `mean` and `stdDeviation` with an
 * iterator over every bucket (~2.5 ms together for our 1 µs..1 h range); a percentile walks the
 * counts array directly (~0.01 ms). The live 1 s interval summary runs on the load generator's
 * event loop while requests are in flight, so it must not block it for milliseconds.
 */
export function quickPercentiles(h: Histogram): { p50: number; p95: number; p99: number; max: number } {
  if (h.totalCount === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const ms = clampedMs(h);
  return { p50: ms(h.getValueAtPercentile(50)), p95: ms(h.getValueAtPercentile(95)), p99: ms(h.getValueAtPercentile(99)), max: ms(h.maxValue) };
}

/** Summary in milliseconds of a microsecond histogram; all zeros when it is empty. */
export function summarizeHistogram(h: Histogram): LatencySummaryMs {
  if (h.totalCount === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, stdev: 0 };
  const ms = clampedMs(h);
  return {
    min: ms(h.minNonZeroValue),
    mean: ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    stdev: ms(h.stdDeviation),
  };
}
