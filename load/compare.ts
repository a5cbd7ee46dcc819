import type { LoadResult } from './result.ts';

/**
 * Compares a current load result with a baseline: one row per headline metric with the relative
 * change, whether it is better or worse, and the regression checks against the given limits.
 * Pure: no I/O; the CLI prints `formatComparison` and exits 99 when `regressed`.
 */

export interface CompareLimits {
  /** Largest allowed relative increase of P50/P95/P99 (0.1 = 10 %). */
  maxP50Increase?: number;
  maxP95Increase?: number;
  maxP99Increase?: number;
  /** Largest allowed relative decrease of QPS (0.05 = 5 %). */
  maxQpsDecrease?: number;
  /** Largest allowed increase of the error rate, in absolute points (0.01 = +1 percentage point). */
  maxErrorRateIncrease?: number;
  /** LLM answers: largest allowed relative increase of TTFT P99, decrease of output tokens/s. */
  maxTtftP99Increase?: number;
  maxTokensPerSDecrease?: number;
}

export type MetricKey = 'qps' | 'p50' | 'p95' | 'p99' | 'errorRate' | 'ttftP50' | 'ttftP99' | 'itlP50' | 'tpotP50' | 'outputTokensPerS' | 'goodput';
export type Verdict = 'better' | 'worse' | 'same' | 'n/a';

export interface ComparisonRow {
  metric: MetricKey;
  label: string;
  unit: 'req/s' | 'ms' | '%' | 'tokens/s';
  baseline: number | null;
  current: number | null;
  /** (current − baseline) / baseline, a fraction; null when the baseline is 0 or unknown. */
  relativeChange: number | null;
  /** current − baseline, in the metric's unit (percentage points for the error rate). */
  absoluteChange: number | null;
  verdict: Verdict;
}

export interface RegressionCheck {
  metric: MetricKey;
  /** The limit as given: a fraction (relative for latency/QPS, absolute points for error rate). */
  limit: number;
  /** The observed change in the same terms as the limit. */
  observed: number | null;
  ok: boolean;
  description: string;
}

export interface Comparison {
  rows: ComparisonRow[];
  checks: RegressionCheck[];
  regressed: boolean;
}

const METRICS: readonly { metric: MetricKey; label: string; unit: ComparisonRow['unit']; higherIsBetter: boolean; read: (r: LoadResult) => number | null }[] = [
  { metric: 'qps', label: 'QPS', unit: 'req/s', higherIsBetter: true, read: (r) => num(r.summary.qps) },
  { metric: 'p50', label: 'P50', unit: 'ms', higherIsBetter: false, read: (r) => num(r.summary.latencyMs.p50) },
  { metric: 'p95', label: 'P95', unit: 'ms', higherIsBetter: false, read: (r) => num(r.summary.latencyMs.p95) },
  { metric: 'p99', label: 'P99', unit: 'ms', higherIsBetter: false, read: (r) => num(r.summary.latencyMs.p99) },
  { metric: 'errorRate', label: 'error rate', unit: '%', higherIsBetter: false, read: (r) => { const v = num(r.summary.errors.rate); return v === null ? null : v * 100; } },
];

/** Rows for LLM answers, shown when either result has them (streamed TTFT/ITL/TPOT, tokens/s) or judged goodput. */
const STREAM_METRICS: readonly (typeof METRICS)[number][] = [
  { metric: 'ttftP50', label: 'TTFT P50', unit: 'ms', higherIsBetter: false, read: (r) => streamed(r, (s) => s.ttftMs.p50) },
  { metric: 'ttftP99', label: 'TTFT P99', unit: 'ms', higherIsBetter: false, read: (r) => streamed(r, (s) => s.ttftMs.p99) },
  { metric: 'itlP50', label: 'ITL P50', unit: 'ms', higherIsBetter: false, read: (r) => streamed(r, (s) => s.itlMs.p50) },
  { metric: 'tpotP50', label: 'TPOT P50', unit: 'ms', higherIsBetter: false, read: (r) => streamed(r, (s) => s.tpotMs.p50) },
  { metric: 'outputTokensPerS', label: 'output tokens/s', unit: 'tokens/s', higherIsBetter: true, read: (r) => num(r.summary.stream?.outputTokensPerS) },
];
const GOODPUT_METRIC: (typeof METRICS)[number] = { metric: 'goodput', label: 'goodput', unit: 'req/s', higherIsBetter: true, read: (r) => num(r.summary.goodput?.perS) };

function streamed(r: LoadResult, f: (s: NonNullable<LoadResult['summary']['stream']>) => number): number | null {
  const s = r.summary.stream;
  return s && s.streamed > 0 ? num(f(s)) : null;
}

/** Changes smaller than this fraction are reported as "same" (HDR precision is 0.1 %). */
const SAME_EPSILON = 0.001;

export function compareResults(base: LoadResult, cur: LoadResult, limits: CompareLimits = {}): Comparison {
  const metrics = [
    ...METRICS,
    ...(base.summary.stream || cur.summary.stream ? STREAM_METRICS : []),
    ...(base.summary.goodput || cur.summary.goodput ? [GOODPUT_METRIC] : []),
  ];
  const rows = metrics.map((m): ComparisonRow => {
    const b = m.read(base);
    const c = m.read(cur);
    const absoluteChange = b !== null && c !== null ? c - b : null;
    const relativeChange = absoluteChange !== null && b !== null && b !== 0 ? absoluteChange / b : null;
    return { metric: m.metric, label: m.label, unit: m.unit, baseline: b, current: c, relativeChange, absoluteChange, verdict: verdictOf(m.higherIsBetter, b, c) };
  });
  const checks = regressionChecks(rows, limits);
  return { rows, checks, regressed: checks.some((ch) => !ch.ok) };
}

function verdictOf(higherIsBetter: boolean, b: number | null, c: number | null): Verdict {
  if (b === null || c === null) return 'n/a';
  const scale = Math.max(Math.abs(b), Math.abs(c));
  if (scale === 0 || Math.abs(c - b) <= SAME_EPSILON * scale) return 'same';
  return (c > b) === higherIsBetter ? 'better' : 'worse';
}

function regressionChecks(rows: readonly ComparisonRow[], limits: CompareLimits): RegressionCheck[] {
  const row = (m: MetricKey): ComparisonRow => rows.find((r) => r.metric === m) ?? { metric: m, label: m, unit: 'ms', baseline: null, current: null, relativeChange: null, absoluteChange: null, verdict: 'n/a' };
  const checks: RegressionCheck[] = [];
  const increase = (metric: 'p50' | 'p95' | 'p99' | 'ttftP99', limit: number | undefined): void => {
    if (limit === undefined) return;
    const r = row(metric);
    const observed = r.relativeChange ?? (r.absoluteChange !== null && r.absoluteChange > 0 ? Infinity : r.absoluteChange === null ? null : 0);
    checks.push({ metric, limit, observed, ok: observed !== null && observed <= limit, description: `${r.label} increase ≤ ${pct(limit)}` });
  };
  increase('p50', limits.maxP50Increase);
  increase('p95', limits.maxP95Increase);
  increase('p99', limits.maxP99Increase);
  increase('ttftP99', limits.maxTtftP99Increase);
  const decrease = (metric: 'qps' | 'outputTokensPerS', limit: number | undefined): void => {
    if (limit === undefined) return;
    const r = row(metric);
    const observed = r.relativeChange === null ? null : -r.relativeChange;
    checks.push({ metric, limit, observed, ok: observed !== null && observed <= limit, description: `${metric === 'qps' ? 'QPS' : r.label} decrease ≤ ${pct(limit)}` });
  };
  decrease('qps', limits.maxQpsDecrease);
  decrease('outputTokensPerS', limits.maxTokensPerSDecrease);
  if (limits.maxErrorRateIncrease !== undefined) {
    const r = row('errorRate');
    const observed = r.absoluteChange === null ? null : r.absoluteChange / 100;
    checks.push({ metric: 'errorRate', limit: limits.maxErrorRateIncrease, observed, ok: observed !== null && observed <= limits.maxErrorRateIncrease + 1e-12, description: `error rate increase ≤ ${pct(limits.maxErrorRateIncrease)} points` });
  }
  return checks;
}

/** Values a k6 import could not provide are null in the file; treat them as unknown. */
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function pct(f: number): string {
  return `${Number((f * 100).toFixed(2))}%`;
}
