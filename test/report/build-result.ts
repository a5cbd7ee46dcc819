import { createHistogram, encodeHistogram, summarizeHistogram, type Histogram } from '../../load/histogram.ts';
import { ERROR_CLASSES, LOAD_RESULT_SCHEMA } from '../../load/result.ts';
import { createRng } from '../../fixtures/servers/rng.ts';
import type { EndpointSummary, ErrorClass, LoadResult } from '../../load/result.ts';

/**
 * Builds `vigil.load.result/v1` files from raw samples, for tests of merge, compare and the report.
 * Written independently of the engine's aggregation (plain loops over the samples); histograms
 * and their summaries use the engine's codec, as every real result file does.
 */
export interface Sample {
  /** Completion time, ms since the start of measurement. */
  atMs: number;
  latencyUs: number;
  /** HTTP status, or an error class for transport errors. */
  status: number | 'timeout' | 'connect' | 'reset' | 'other';
  endpoint: string;
  bytesIn?: number;
}

export const newHist = createHistogram;
export const summaryOf = summarizeHistogram;

function classOf(s: Sample['status']): ErrorClass | undefined {
  if (typeof s !== 'number') return s;
  if (s >= 500) return 'http5xx';
  if (s >= 400) return 'http4xx';
  return undefined;
}

export function buildResult(samples: readonly Sample[], opts: { startedAt: Date; durationS: number; rate?: number; target?: string; thresholds?: LoadResult['thresholds']; dropped?: number; warmupS?: number }): LoadResult {
  const overall = newHist();
  const byClass = Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as Record<ErrorClass, number>;
  const status: Record<string, number> = {};
  const slots = new Map<number, { h: Histogram; requests: number; errors: number }>();
  const eps = new Map<string, { h: Histogram; requests: number; errors: Partial<Record<ErrorClass, number>>; status: Record<string, number> }>();
  let errors = 0;
  let bytesIn = 0;
  for (const s of samples) {
    overall.recordValue(s.latencyUs);
    bytesIn += s.bytesIn ?? 0;
    const cls = classOf(s.status);
    if (typeof s.status === 'number') status[String(s.status)] = (status[String(s.status)] ?? 0) + 1;
    if (cls) { byClass[cls]++; errors++; }
    const t = Math.max(1, Math.ceil(s.atMs / 1000));
    const slot = slots.get(t) ?? { h: newHist(), requests: 0, errors: 0 };
    slot.h.recordValue(s.latencyUs); slot.requests++; if (cls) slot.errors++;
    slots.set(t, slot);
    const ep = eps.get(s.endpoint) ?? { h: newHist(), requests: 0, errors: {}, status: {} };
    ep.h.recordValue(s.latencyUs); ep.requests++;
    if (cls) ep.errors[cls] = (ep.errors[cls] ?? 0) + 1;
    if (typeof s.status === 'number') ep.status[String(s.status)] = (ep.status[String(s.status)] ?? 0) + 1;
    eps.set(s.endpoint, ep);
  }
  const endpoints: Record<string, EndpointSummary> = {};
  for (const [k, e] of eps) endpoints[k] = { requests: e.requests, latencyMs: summaryOf(e.h), errors: { ...e.errors, total: Object.values(e.errors).reduce((a, b) => a + b, 0) }, status: e.status, histogram: encodeHistogram(e.h) };
  const warmupS = opts.warmupS ?? 0;
  return {
    schema: LOAD_RESULT_SCHEMA,
    target: opts.target ?? 'http://127.0.0.1:8080',
    startedAt: new Date(opts.startedAt.getTime() - warmupS * 1000).toISOString(),
    endedAt: new Date(opts.startedAt.getTime() + opts.durationS * 1000).toISOString(),
    aborted: false,
    config: { model: 'open', rate: opts.rate ?? null, connections: null, durationS: opts.durationS, warmupS },
    summary: {
      requests: samples.length, durationS: opts.durationS, qps: samples.length / opts.durationS, offeredRate: opts.rate ?? null,
      latencyMs: summaryOf(overall), errors: { total: errors, rate: samples.length ? errors / samples.length : 0, byClass },
      status, bytesIn, bytesOut: 0, droppedIterations: opts.dropped ?? 0,
    },
    intervals: [...slots.keys()].sort((a, b) => a - b).map((t) => {
      const s = slots.get(t) as { h: Histogram; requests: number; errors: number };
      const l = summaryOf(s.h);
      return { t, requests: s.requests, qps: s.requests, latencyMs: { p50: l.p50, p95: l.p95, p99: l.p99, max: l.max }, errors: s.errors, histogram: encodeHistogram(s.h) };
    }),
    endpoints,
    histogram: encodeHistogram(overall),
    thresholds: opts.thresholds ?? [],
  };
}

/** Lognormal latencies with a slow tail, plus some errors: realistic-looking traffic. */
export function syntheticSamples(n: number, durationS: number, seed: number): Sample[] {
  const r = createRng(seed).next; // seeded: the same data on every run
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const u1 = Math.max(r(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r());
    const stall = r() < 0.01 ? 150_000 * r() : 0;
    const latencyUs = Math.round(Math.exp(Math.log(12_000) + 0.45 * z) + stall);
    const roll = r();
    const status: Sample['status'] = roll < 0.004 ? 503 : roll < 0.006 ? 'timeout' : roll < 0.008 ? 404 : 200;
    out.push({ atMs: ((i + 0.5) / n) * durationS * 1000, latencyUs, status, endpoint: r() < 0.7 ? 'POST /predict' : 'GET /v1/models/:id', bytesIn: 512 });
  }
  return out;
}
