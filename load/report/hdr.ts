import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { LatencySummaryMs } from '../result.ts';

/**
 * Access to the encoded HdrHistograms of result files (microseconds). Merge, compare and the
 * report read histograms only through this file, so the codec stays the engine's one.
 */

/** Decodes a result file's `histogram` (base64 of the compressed HdrHistogram); empty → undefined. */
export function decodeResultHistogram(b64: string | undefined): Histogram | undefined {
  if (!b64) return undefined;
  return hdr.decodeFromCompressedBase64(b64, 64, false);
}

export function encodeResultHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** An empty histogram that accepts any other (auto-resizing, 64-bit counts). */
export function emptyHistogram(): Histogram {
  return hdr.build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
}

/** Sum of histograms: counts are added bucket by bucket, so every percentile of the sum is exact. */
export function addHistograms(parts: readonly Histogram[]): Histogram {
  const sum = emptyHistogram();
  for (const h of parts) sum.add(h);
  return sum;
}

const US_PER_MS = 1000;

/** Latency summary in milliseconds of a histogram recorded in microseconds. */
export function summarizeUs(h: Histogram): LatencySummaryMs {
  if (h.totalCount === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, stdev: 0 };
  const at = (p: number): number => h.getValueAtPercentile(p) / US_PER_MS;
  return {
    min: h.minNonZeroValue / US_PER_MS,
    mean: h.mean / US_PER_MS,
    p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9),
    max: h.maxValue / US_PER_MS,
    stdev: h.stdDeviation / US_PER_MS,
  };
}
