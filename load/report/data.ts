import type { LoadResult } from '../result.ts';
import { ERROR_CLASSES } from '../result.ts';
import { parseThreshold, type ParsedThreshold } from '../thresholds.ts';
import { decodeResultHistogram } from './hdr.ts';
import { percentileSpectrum, spectrumFromSummary, type SpectrumPoint } from './spectrum.ts';

/** What the report's charts draw; computed in Node (pure), embedded as JSON, drawn by chart.js. */
export interface ReportChartData {
  intervals: { t: number; qps: number; errors: number; p50: number; p95: number; p99: number }[];
  spectrum: SpectrumPoint[];
  spectrumSource: 'histogram' | 'summary';
  /**
   * Latency thresholds (`p99<250ms`) drawn on the spectrum: a limit at percentile p binds the curve
   * from 0 % up to p, so it is a segment ending at x = 1/(1−p) (null: up to the max, for `max<`).
   */
  latencyLimits: { label: string; ms: number; x: number | null }[];
  outcomes: { label: string; count: number; kind: 'ok' | 'redirect' | 'client' | 'server' | 'transport' }[];
}

// gRPC statuses are counted in `status` by name (`OK`, `UNAVAILABLE`), like HTTP statuses.
const TRANSPORT_CLASSES = ERROR_CLASSES.filter((c) => c !== 'http4xx' && c !== 'http5xx' && c !== 'grpc');

export function buildChartData(result: LoadResult): ReportChartData {
  const h = decodeResultHistogram(result.histogram);
  const spectrum = h && h.totalCount > 0 ? percentileSpectrum(h) : spectrumFromSummary(result.summary.latencyMs);
  return {
    intervals: result.intervals.map((iv) => ({ t: iv.t, qps: iv.qps, errors: iv.errors, p50: iv.latencyMs.p50, p95: iv.latencyMs.p95, p99: iv.latencyMs.p99 })),
    spectrum,
    spectrumSource: h && h.totalCount > 0 ? 'histogram' : 'summary',
    latencyLimits: result.thresholds.flatMap((t) => latencyLimit(t.expr)),
    outcomes: outcomes(result),
  };
}

function outcomes(result: LoadResult): ReportChartData['outcomes'] {
  const out: ReportChartData['outcomes'] = Object.entries(result.summary.status)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, count]) => (/^\d+$/.test(code)
      ? { label: `HTTP ${code}`, count, kind: code < '300' ? 'ok' : code < '400' ? 'redirect' : code < '500' ? 'client' : 'server' }
      : { label: `gRPC ${code}`, count, kind: code === 'OK' ? 'ok' : 'server' }));
  for (const c of TRANSPORT_CLASSES) {
    const count = result.summary.errors.byClass[c] ?? 0;
    if (count > 0) out.push({ label: c, count, kind: 'transport' });
  }
  return out;
}

/** `p99<250ms`, `p95 <= 0.3s`, `max<1s` → a segment at that latency. Other metrics draw nothing. */
export function latencyLimit(expr: string): { label: string; ms: number; x: number | null }[] {
  let t: ParsedThreshold;
  try { t = parseThreshold(expr); } catch { return []; }
  if (t.op === '>' || t.op === '>=' || !/^p\d+$|^max$/.test(t.metric)) return [];
  const ms = t.unit === 's' ? t.limit * 1000 : t.limit;
  // p50 → 50 %, p99 → 99 %, p999 → 99.9 % (the SPEC's metric names); max binds the whole curve.
  const percentile = t.metric === 'max' ? null : t.metric === 'p999' ? 99.9 : Number(t.metric.slice(1));
  return [{ label: expr.trim(), ms, x: percentile === null ? null : 1 / (1 - percentile / 100) }];
}
