import type { Histogram } from 'hdr-histogram-js';
import { ERROR_CLASSES, LOAD_RESULT_SCHEMA } from './result.ts';
import type { EndpointSummary, ErrorClass, IntervalSummary, LatencySummaryMs, LoadResult } from './result.ts';
import { addHistograms, decodeResultHistogram, encodeResultHistogram, summarizeUs } from './report/hdr.ts';
import { replayErrors } from './replay-errors.ts';
import { mergeGoodput, mergeIntervalStreams, mergeStreamSummaries } from './stream/merge.ts';

/**
 * Merges the results of shards that ran in parallel (several machines or pods) into one result.
 * Latency percentiles come from the sum of the shards' histograms, so they are exact — never an
 * average of percentiles. Counters (requests, errors, status codes, bytes, drops) are summed; QPS
 * is requests over the union of the shards' measurement spans; intervals are aligned by absolute
 * time (startedAt + warmup + t), not by their index.
 */
export function mergeResults(results: readonly LoadResult[], names: readonly string[] = results.map((_, i) => `shard ${i + 1}`)): LoadResult {
  if (results.length < 2) throw replayErrors.VIGIL_MERGE_TOO_FEW({ count: results.length });
  const histograms = results.map((r, i) => {
    const h = decodeResultHistogram(r.histogram);
    if (!h) throw replayErrors.VIGIL_MERGE_NO_HISTOGRAM({ file: names[i], reason: r.config.source === 'k6' ? 'imported from a k6 summary' : 'empty "histogram"' });
    return h;
  });
  const spans = results.map(measurementSpan);
  const start = Math.min(...spans.map((s) => s.start));
  const end = Math.max(...spans.map((s) => s.end));
  const durationS = Math.max(0, (end - start) / 1000);
  const overall = addHistograms(histograms);
  const requests = sum(results.map((r) => r.summary.requests));
  const errorsByClass = sumClasses(results.map((r) => r.summary.errors.byClass));
  const errorsTotal = sum(results.map((r) => r.summary.errors.total));
  const targets = [...new Set(results.map((r) => r.target))];
  const first = results[0] as LoadResult;
  const stream = mergeStreamSummaries(results.map((r) => r.summary.stream), durationS);
  const goodput = mergeGoodput(results.map((r) => r.summary), durationS);
  return {
    schema: LOAD_RESULT_SCHEMA,
    target: targets.join(' '),
    startedAt: new Date(Math.min(...results.map((r) => Date.parse(r.startedAt)))).toISOString(),
    endedAt: new Date(Math.max(...results.map((r) => Date.parse(r.endedAt)))).toISOString(),
    aborted: results.some((r) => r.aborted),
    config: {
      ...first.config,
      rate: sumOrNull(results.map((r) => r.config.rate)),
      connections: sumOrNull(results.map((r) => r.config.connections)),
      durationS: round(durationS),
      merged: { shards: results.length, from: [...names], intervalPercentiles: intervalPercentileMode(results) },
    },
    summary: {
      requests,
      durationS: round(durationS),
      qps: durationS > 0 ? requests / durationS : 0,
      offeredRate: sumOrNull(results.map((r) => r.summary.offeredRate)),
      latencyMs: withExtremes(summarizeUs(overall), results.map((r) => r.summary.latencyMs)),
      errors: { total: errorsTotal, rate: requests > 0 ? errorsTotal / requests : 0, byClass: errorsByClass },
      status: sumRecords(results.map((r) => r.summary.status)),
      bytesIn: sum(results.map((r) => r.summary.bytesIn)),
      bytesOut: sum(results.map((r) => r.summary.bytesOut)),
      droppedIterations: sum(results.map((r) => r.summary.droppedIterations)),
      ...(stream ? { stream } : {}),
      ...(goodput ? { goodput } : {}),
    },
    intervals: mergeIntervals(results, spans.map((s) => s.start), start),
    endpoints: mergeEndpoints(results, durationS),
    histogram: encodeResultHistogram(overall),
    // Threshold outcomes of single shards say nothing about the whole; `vigil load merge
    // --threshold` evaluates them again on the merged result.
    thresholds: [],
  };
}

/** Start and end (epoch ms) of the measured part of a run: warmup excluded. */
export function measurementSpan(r: LoadResult): { start: number; end: number } {
  const started = Date.parse(r.startedAt);
  const warmupMs = (r.config.warmupS ?? 0) * 1000;
  const start = started + warmupMs;
  return { start, end: start + r.summary.durationS * 1000 };
}

function mergeIntervals(results: readonly LoadResult[], starts: readonly number[], origin: number): IntervalSummary[] {
  const slots = new Map<number, IntervalSummary[]>();
  results.forEach((r, i) => {
    const offsetS = ((starts[i] as number) - origin) / 1000;
    for (const iv of r.intervals) {
      const slot = Math.max(1, Math.round(iv.t + offsetS));
      const list = slots.get(slot) ?? [];
      list.push(iv);
      slots.set(slot, list);
    }
  });
  return [...slots.keys()].sort((a, b) => a - b).map((t) => mergeSlot(t, slots.get(t) as IntervalSummary[]));
}

function mergeSlot(t: number, parts: readonly IntervalSummary[]): IntervalSummary {
  const merged = mergeSlotLatency(t, parts);
  const stream = mergeIntervalStreams(parts.map((p) => p.stream));
  return stream ? { ...merged, stream } : merged;
}

function mergeSlotLatency(t: number, parts: readonly IntervalSummary[]): IntervalSummary {
  const requests = sum(parts.map((p) => p.requests));
  const base = { t, requests, qps: sum(parts.map((p) => p.qps)), errors: sum(parts.map((p) => p.errors)) };
  // Seconds without completions carry no histogram and add nothing.
  const busy = parts.filter((p) => p.requests > 0);
  const hists = exactHistograms(busy.map((p) => p.histogram));
  if (busy.length === 0) return { ...base, latencyMs: { p50: 0, p95: 0, p99: 0, max: 0 } };
  if (hists) {
    const h = addHistograms(hists);
    const s = summarizeUs(h);
    const max = busy.every((p) => isNum(p.latencyMs.max)) ? maxOf(busy, (p) => p.latencyMs.max as number) : s.max;
    return { ...base, latencyMs: { p50: s.p50, p95: s.p95, p99: s.p99, max }, histogram: encodeResultHistogram(h) };
  }
  // Without per-interval histograms nothing exact is possible: the worst shard is an upper bound.
  return { ...base, latencyMs: { p50: maxOf(busy, (p) => p.latencyMs.p50), p95: maxOf(busy, (p) => p.latencyMs.p95), p99: maxOf(busy, (p) => p.latencyMs.p99), max: maxOf(busy, (p) => p.latencyMs.max ?? 0) } };
}

function mergeEndpoints(results: readonly LoadResult[], durationS: number): Record<string, EndpointSummary> {
  const keys = [...new Set(results.flatMap((r) => Object.keys(r.endpoints)))].sort();
  const out: Record<string, EndpointSummary> = {};
  for (const key of keys) {
    const parts = results.map((r) => r.endpoints[key]).filter((e): e is EndpointSummary => e !== undefined);
    const requests = sum(parts.map((p) => p.requests));
    const errors: EndpointSummary['errors'] = {};
    for (const c of [...ERROR_CLASSES, 'total'] as const) {
      const v = sum(parts.map((p) => p.errors[c] ?? 0));
      if (v > 0 || parts.some((p) => p.errors[c] !== undefined)) errors[c] = v;
    }
    const merged: EndpointSummary = { requests, latencyMs: {}, errors, status: sumRecords(parts.map((p) => p.status ?? {})) };
    const hists = exactHistograms(parts.map((p) => p.histogram));
    if (hists) {
      const h = addHistograms(hists);
      merged.latencyMs = withExtremes(summarizeUs(h), parts.map((p) => p.latencyMs));
      merged.histogram = encodeResultHistogram(h);
    } else {
      merged.latencyMs = boundLatency(parts);
    }
    const stream = mergeStreamSummaries(parts.map((p) => p.stream), durationS);
    if (stream) merged.stream = stream;
    const protocols = [...new Set(parts.map((p) => p.protocol).filter((x): x is string => x !== undefined))];
    if (protocols.length > 0) merged.protocol = protocols.join(',');
    out[key] = merged;
  }
  return out;
}

/**
 * A decoded histogram knows its min and max only to bucket precision; the shards' own summaries
 * recorded them exactly, and the min of mins / max of maxes is exact.
 */
function withExtremes(s: LatencySummaryMs, parts: readonly Partial<LatencySummaryMs>[]): LatencySummaryMs {
  const mins = parts.map((p) => p.min).filter(isNum);
  const maxes = parts.map((p) => p.max).filter(isNum);
  return { ...s, min: mins.length === parts.length ? Math.min(...mins) : s.min, max: maxes.length === parts.length ? Math.max(...maxes) : s.max };
}

/** Without histograms: min/max and the request-weighted mean are exact; percentiles are upper bounds. */
function boundLatency(parts: readonly EndpointSummary[]): Partial<LatencySummaryMs> {
  const out: Partial<LatencySummaryMs> = {};
  const requests = sum(parts.map((p) => p.requests));
  const mins = parts.map((p) => p.latencyMs.min).filter(isNum);
  if (mins.length) out.min = Math.min(...mins);
  for (const k of ['p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const) {
    const vs = parts.map((p) => p.latencyMs[k]).filter(isNum);
    if (vs.length) out[k] = Math.max(...vs);
  }
  if (requests > 0 && parts.every((p) => isNum(p.latencyMs.mean))) out.mean = sum(parts.map((p) => (p.latencyMs.mean as number) * p.requests)) / requests;
  return out;
}

function exactHistograms(encoded: readonly (string | undefined)[]): Histogram[] | undefined {
  if (encoded.length === 0 || encoded.some((e) => !e)) return undefined;
  return encoded.map((e) => decodeResultHistogram(e) as Histogram);
}

function intervalPercentileMode(results: readonly LoadResult[]): 'exact' | 'upper-bound' {
  return results.every((r) => r.intervals.every((iv) => iv.histogram || iv.requests === 0)) ? 'exact' : 'upper-bound';
}

function sumClasses(parts: readonly Record<ErrorClass, number>[]): Record<ErrorClass, number> {
  const out = Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as Record<ErrorClass, number>;
  for (const p of parts) for (const c of ERROR_CLASSES) out[c] += p[c] ?? 0;
  return out;
}

function sumRecords(parts: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length ? sum(known) : null;
}

function maxOf<T>(items: readonly T[], f: (x: T) => number): number {
  return Math.max(...items.map(f));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
