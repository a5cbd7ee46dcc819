/**
 * The final summary printed after a run (stdout): latency percentiles in ms, throughput in
 * requests/s, errors by class, status codes, bytes, per-endpoint lines, thresholds.
 */
import { formatBytes } from '../common/units.ts';
import { ERROR_CLASSES, type ErrorSummary, type LoadResult, type StreamSummary } from './result.ts';
import { formatThresholdOutcome } from './thresholds.ts';

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ').trimEnd()).join('\n');
}

/** Printed where a statistic does not exist (no response to measure). */
export const NONE = '–';

const fmtStat = (x: number): string => (Number.isFinite(x) ? fmt(x) : NONE);

/** Successful requests/s: `summary.successQps`, or derived for results written before it existed (merges, k6 imports). */
function successQps(r: LoadResult): number {
  const s = r.summary;
  if (s.successQps !== undefined) return s.successQps;
  return s.durationS > 0 ? Math.max(0, s.requests - s.errors.total) / s.durationS : 0;
}

/** True when requests were made and every one failed before a response (unreachable target). */
export function noResponses(r: LoadResult): boolean {
  const s = r.summary;
  const responses = Object.values(s.status).reduce((a, b) => a + b, 0);
  return s.requests > 0 && responses === 0 && s.errors.total >= s.requests;
}

/** "connect 20 (first: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1), http5xx 3 (first: HTTP 503)", or "none". */
export function formatCauses(e: ErrorSummary): string {
  const parts = ERROR_CLASSES.filter((k) => e.byClass[k] > 0).map((k) => {
    const cause = e.firstCause?.[k];
    return `${k} ${e.byClass[k]}${cause ? ` (first: ${cause})` : ''}`;
  });
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function formatSummaryTable(result: LoadResult): string {
  const s = result.summary;
  const c = result.config;
  const lines: string[] = [];
  const model = c.model === 'open' ? `open model${c.rate === null ? '' : `, ${c.rate} req/s`}` : c.model === 'closed' ? `closed model, ${c.connections} connections` : c.model === 'stages' ? 'ramping arrival rate (stages)' : `original timing x${String(c['speed'] ?? 1)}`;
  lines.push(`vigil load run: ${result.target || '(absolute urls)'} — ${model}${result.aborted ? ' — ABORTED' : ''}`);
  lines.push('');
  const l = s.latencyMs;
  // Latency is measured on responses only: when every request failed without one, there is no latency to print (not 0 ms).
  const lat = noResponses(result) ? (): string => NONE : fmtStat;
  lines.push(table([
    ['latency (ms)', 'min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'],
    ['', lat(l.min), lat(l.mean), lat(l.p50), lat(l.p90), lat(l.p95), lat(l.p99), lat(l.p999), lat(l.max)],
  ]));
  lines.push('');
  const offered = s.offeredRate === null ? '—' : fmt(s.offeredRate);
  lines.push(table([
    ['requests', 'duration (s)', 'achieved (req/s)', 'offered (req/s)', 'dropped', 'errors', 'error rate (%)', 'bytes in', 'bytes out'],
    [String(s.requests), fmt(s.durationS), fmt(successQps(result)), offered, String(s.droppedIterations), String(s.errors.total), fmt(s.errors.rate * 100), formatBytes(s.bytesIn), formatBytes(s.bytesOut)],
  ]));
  const classes = [formatCauses(s.errors)].filter((x) => x !== 'none');
  const statuses = Object.entries(s.status).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`);
  lines.push('');
  lines.push(`status codes: ${statuses.length > 0 ? statuses.join(', ') : 'none'}`);
  lines.push(`errors by class: ${classes.length > 0 ? classes.join(', ') : 'none'}`);
  // HTTP/1.1 is the default and goes unsaid; h2, h2c, grpc, grpcs are named.
  const protocols = [...new Set(Object.values(result.endpoints).map((e) => e.protocol).filter((p): p is string => p !== undefined && p !== 'http/1.1'))];
  if (protocols.length > 0) lines.push(`protocol: ${protocols.join(', ')}`);
  if (s.schedulerLatenessMs) lines.push(`generator lateness (ms, included in the latencies above): p50 ${s.schedulerLatenessMs.p50}, p99 ${s.schedulerLatenessMs.p99}, max ${s.schedulerLatenessMs.max}`);
  if (s.schedulerLatenessMs && s.sendDelayMs) lines.push(`client send delay (ms, intended start → on a connection, included too): p50 ${s.sendDelayMs.p50}, p99 ${s.sendDelayMs.p99}, max ${s.sendDelayMs.max}`);
  if (s.stream) lines.push('', ...streamBlock(s.stream));
  if (s.goodput) lines.push('', `goodput: ${fmt(s.goodput.perS)} req/s — ${s.goodput.requests} of ${s.requests + s.droppedIterations} arrivals (${fmt(s.goodput.attainment * 100)} %) met ${s.goodput.slo.join(', ')}`);
  const eps = Object.entries(result.endpoints);
  if (eps.length > 1 || (eps.length === 1 && !result.target)) {
    lines.push('');
    lines.push(table([
      ['endpoint', 'requests', 'errors', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)'],
      ...eps.map(([k, e]) => [k, String(e.requests), String(e.errors.total ?? 0), fmt(e.latencyMs.p50 ?? 0), fmt(e.latencyMs.p95 ?? 0), fmt(e.latencyMs.p99 ?? 0)]),
    ]));
  }
  if (result.thresholds.length > 0) {
    lines.push('');
    lines.push('thresholds:');
    for (const o of result.thresholds) lines.push(`  ${formatThresholdOutcome(o)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The LLM block: TTFT/ITL/TPOT/TTFB percentiles (from the intended start) and token counts. */
function streamBlock(st: StreamSummary): string[] {
  const row = (name: string, l: StreamSummary['ttftMs']): string[] => [name, fmt(l.min), fmt(l.mean), fmt(l.p50), fmt(l.p90), fmt(l.p95), fmt(l.p99), fmt(l.p999), fmt(l.max)];
  const out: string[] = [];
  if (st.streamed > 0) {
    out.push(table([
      ['stream (ms)', 'min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'],
      row('TTFT', st.ttftMs), row('ITL', st.itlMs), row('TPOT', st.tpotMs), row('TTFB', st.ttfbMs),
    ]));
    out.push('');
  }
  const source = st.outputTokens.source === 'usage' ? 'from usage' : st.outputTokens.source === 'chunks' ? 'ESTIMATED: chunk counts, no usage sent' : st.outputTokens.source === 'mixed' ? `${st.outputTokens.estimatedRequests} answers estimated from chunk counts` : 'no successful answer';
  out.push(table([
    ['LLM answers', 'streamed', 'output tokens', 'input tokens', 'output tokens/s'],
    [String(st.requests), String(st.streamed), `${st.outputTokens.total} (${source})`, String(st.inputTokens.total), fmt(st.outputTokensPerS)],
  ]));
  return out;
}
