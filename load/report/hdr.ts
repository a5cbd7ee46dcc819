import type { Histogram } from 'hdr-histogram-js';
import { createHistogram, decodeHistogram, encodeHistogram, mergeHistogramInto, summarizeHistogram } from '../histogram.ts';
import type { LatencySummaryMs } from '../result.ts';

/**
 * Access to the encoded HdrHistograms of result files (microseconds) for merge, compare and the
 * report — a thin layer over the engine's codec (load/histogram.ts), so there is one codec.
 */

/** Decodes a result file's `histogram`; an empty string (k6 imports) → undefined. */
export function decodeResultHistogram(b64: string | undefined): Histogram | undefined {
  return b64 ? decodeHistogram(b64) : undefined;
}

export const encodeResultHistogram = encodeHistogram;

export const emptyHistogram = createHistogram;

/** Sum of histograms: counts are added bucket by bucket, so every percentile of the sum is exact. */
export function addHistograms(parts: readonly Histogram[]): Histogram {
  const sum = createHistogram();
  for (const h of parts) mergeHistogramInto(sum, h);
  return sum;
}

/** Latency summary in milliseconds of a histogram recorded in microseconds. */
export function summarizeUs(h: Histogram): LatencySummaryMs {
  return summarizeHistogram(h);
}
