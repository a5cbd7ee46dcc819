/**
 * Merging the LLM blocks of shard results (`vigil load merge`): TTFT, ITL, TPOT and TTFB
 * histograms are added, so every percentile of the merge is exact; counts are summed and tokens/s
 * is over the merged duration. Goodput merges only when every shard judged the same SLOs.
 */
import type { Histogram } from 'hdr-histogram-js';
import { createHistogram, decodeHistogram, encodeHistogram, mergeHistogramInto, quickPercentiles, summarizeHistogram } from '../histogram.ts';
import type { GoodputSummary, IntervalStreamSummary, LatencySummaryMs, LoadSummary, StreamSummary } from '../result.ts';
import { tokenSource } from './stream-recorder.ts';

const KINDS = ['ttft', 'itl', 'tpot', 'ttfb'] as const;
type Kind = (typeof KINDS)[number];
const SUMMARY_KEY: Record<Kind, 'ttftMs' | 'itlMs' | 'tpotMs' | 'ttfbMs'> = { ttft: 'ttftMs', itl: 'itlMs', tpot: 'tpotMs', ttfb: 'ttfbMs' };

export function mergeStreamSummaries(parts: readonly (StreamSummary | undefined)[], durationS: number): StreamSummary | undefined {
  const present = parts.filter((p): p is StreamSummary => p !== undefined);
  if (present.length === 0) return undefined;
  const requests = sum(present.map((p) => p.requests));
  const estimated = sum(present.map((p) => p.outputTokens.estimatedRequests ?? 0));
  const total = sum(present.map((p) => p.outputTokens.total));
  const merged = {} as Record<Kind, { summary: LatencySummaryMs; encoded: string }>;
  for (const k of KINDS) {
    const h = addEncoded(present.map((p) => p.histograms[k]));
    merged[k] = { summary: exactExtremes(summarizeHistogram(h), present.map((p) => p[SUMMARY_KEY[k]]), h.totalCount), encoded: encodeHistogram(h) };
  }
  return {
    requests,
    streamed: sum(present.map((p) => p.streamed)),
    ttftMs: merged.ttft.summary,
    itlMs: merged.itl.summary,
    tpotMs: merged.tpot.summary,
    ttfbMs: merged.ttfb.summary,
    outputTokens: { total, source: tokenSource(requests, estimated), estimatedRequests: estimated },
    inputTokens: { total: sum(present.map((p) => p.inputTokens.total)) },
    outputTokensPerS: durationS > 0 ? Math.round((total / durationS) * 1000) / 1000 : 0,
    histograms: { ttft: merged.ttft.encoded, itl: merged.itl.encoded, tpot: merged.tpot.encoded, ttfb: merged.ttfb.encoded },
  };
}

/** One merged second: requests and tokens add; TTFT from the added histograms (else the worst shard, an upper bound). */
export function mergeIntervalStreams(parts: readonly (IntervalStreamSummary | undefined)[]): IntervalStreamSummary | undefined {
  const present = parts.filter((p): p is IntervalStreamSummary => p !== undefined);
  if (present.length === 0) return undefined;
  const out: IntervalStreamSummary = { requests: sum(present.map((p) => p.requests)), ttftMs: { p50: 0, p99: 0 }, outputTokensPerS: Math.round(sum(present.map((p) => p.outputTokensPerS)) * 1000) / 1000 };
  const withTtft = present.filter((p) => p.requests > 0 && (p.histogram !== undefined || p.ttftMs.p99 > 0));
  if (withTtft.length === 0) return out;
  if (withTtft.every((p) => p.histogram !== undefined)) {
    const h = addEncoded(withTtft.map((p) => p.histogram as string));
    const q = quickPercentiles(h);
    out.ttftMs = { p50: q.p50, p99: q.p99 };
    out.histogram = encodeHistogram(h);
  } else {
    out.ttftMs = { p50: Math.max(...withTtft.map((p) => p.ttftMs.p50)), p99: Math.max(...withTtft.map((p) => p.ttftMs.p99)) };
  }
  return out;
}

/** Goodput of shards that judged the same SLOs: good requests add; attainment over all arrivals. */
export function mergeGoodput(summaries: readonly LoadSummary[], durationS: number): GoodputSummary | undefined {
  const parts = summaries.map((s) => s.goodput);
  const first = parts[0];
  if (!first || parts.some((p) => !p || p.slo.join('\n') !== first.slo.join('\n'))) return undefined;
  const good = sum(parts.map((p) => (p as GoodputSummary).requests));
  const arrivals = sum(summaries.map((s) => s.requests + s.droppedIterations));
  return { slo: [...first.slo], requests: good, perS: durationS > 0 ? Math.round((good / durationS) * 1000) / 1000 : 0, attainment: arrivals > 0 ? good / arrivals : 0 };
}

function addEncoded(encoded: readonly string[]): Histogram {
  const h = createHistogram();
  for (const e of encoded) mergeHistogramInto(h, decodeHistogram(e));
  return h;
}

/** A decoded histogram knows min and max to bucket precision; the shards recorded them exactly. */
function exactExtremes(s: LatencySummaryMs, parts: readonly LatencySummaryMs[], count: number): LatencySummaryMs {
  if (count === 0) return s;
  const seen = parts.filter((p) => p.max > 0);
  return { ...s, min: Math.min(...seen.map((p) => p.min)), max: Math.max(...seen.map((p) => p.max)) };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
