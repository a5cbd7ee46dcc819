/**
 * Threshold expressions (`--threshold 'p99<250ms'`): a metric, a comparison and a limit.
 * Latency metrics (p50 p90 p95 p99 p999 max mean) take ms or s (a bare number is ms);
 * `error_rate` takes a percentage (`1%`) or a fraction (`0.01`, k6's style); `qps` takes requests/s.
 * LLM answers add `ttft_*`, `itl_*`, `tpot_*`, `ttfb_*` (the latency statistics above, plus min),
 * `output_tokens_per_s` (tokens/s), `goodput` (req/s meeting every --slo) and `slo_attainment`
 * (% or fraction); on a result without them the value is unknown (NaN, null in the file) and the
 * threshold fails. The outcome's value is in the unit the expression was written in.
 */
import { loadErrors } from './errors.ts';
import type { LoadResult, ThresholdOutcome } from './result.ts';

type StreamLatency = 'ttft' | 'itl' | 'tpot' | 'ttfb';
type LatencyStat = 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max' | 'mean' | 'min';
export type ThresholdMetric = 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max' | 'mean' | 'error_rate' | 'qps'
  | `${StreamLatency}_${LatencyStat}` | 'output_tokens_per_s' | 'goodput' | 'slo_attainment';
export type Comparison = '<' | '<=' | '>' | '>=';

export interface ParsedThreshold {
  expr: string;
  metric: ThresholdMetric;
  op: Comparison;
  /** The limit in the expression's unit. */
  limit: number;
  unit: 'ms' | 's' | '%' | 'fraction' | 'req/s' | 'tokens/s';
}

const LATENCY = new Set(['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean']);
/** `ttft_p99` → ['ttft', 'p99']. */
const STREAM_LATENCY = /^(ttft|itl|tpot|ttfb)_(p50|p90|p95|p99|p999|max|mean|min)$/;
const METRIC_LIST = 'p50 p90 p95 p99 p999 max mean error_rate qps, ttft_/itl_/tpot_/ttfb_ + p50…p999 max mean min, output_tokens_per_s goodput slo_attainment';
const PATTERN = /^\s*([a-z_0-9]+)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|%|\/s)?\s*$/;

export function parseThreshold(expr: string): ParsedThreshold {
  const m = PATTERN.exec(expr);
  if (!m) throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: 'write metric, comparison (< <= > >=) and limit' });
  const [, metric = '', op = '<', num = '0', suffix] = m;
  const limit = Number(num);
  if (LATENCY.has(metric) || STREAM_LATENCY.test(metric)) {
    if (suffix !== undefined && suffix !== 'ms' && suffix !== 's') throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: `${metric} is a latency: use ms or s` });
    return { expr, metric: metric as ThresholdMetric, op: op as Comparison, limit, unit: suffix === 's' ? 's' : 'ms' };
  }
  if (metric === 'error_rate' || metric === 'slo_attainment') {
    if (suffix !== undefined && suffix !== '%') throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: `${metric} is a percentage (1%) or a fraction (0.01)` });
    if (suffix === undefined && limit > 1) throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: `a bare ${metric} is a fraction between 0 and 1; write 5% for a percentage` });
    return { expr, metric, op: op as Comparison, limit, unit: suffix === '%' ? '%' : 'fraction' };
  }
  if (metric === 'qps' || metric === 'goodput') {
    if (suffix !== undefined && suffix !== '/s') throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: `${metric} is in requests/s: write ${metric}>100` });
    return { expr, metric, op: op as Comparison, limit, unit: 'req/s' };
  }
  if (metric === 'output_tokens_per_s') {
    if (suffix !== undefined && suffix !== '/s') throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: 'output_tokens_per_s is in tokens/s: write output_tokens_per_s>1000' });
    return { expr, metric, op: op as Comparison, limit, unit: 'tokens/s' };
  }
  throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: `unknown metric "${metric}" (use ${METRIC_LIST})` });
}

/** The measured value of a threshold's metric, in the threshold's unit. */
export function thresholdValue(t: ParsedThreshold, result: LoadResult): number {
  const s = result.summary;
  switch (t.metric) {
    case 'qps': return s.qps;
    case 'error_rate': return t.unit === '%' ? s.errors.rate * 100 : s.errors.rate;
    case 'goodput': return s.goodput?.perS ?? Number.NaN;
    case 'slo_attainment': return s.goodput ? (t.unit === '%' ? s.goodput.attainment * 100 : s.goodput.attainment) : Number.NaN;
    case 'output_tokens_per_s': return s.stream?.outputTokensPerS ?? Number.NaN;
    default: {
      const m = STREAM_LATENCY.exec(t.metric);
      const ms = m ? streamLatency(result, m[1] as StreamLatency, m[2] as LatencyStat) : s.latencyMs[t.metric as keyof typeof s.latencyMs] as number;
      return t.unit === 's' ? ms / 1000 : ms;
    }
  }
}

/** A statistic of the stream block; NaN when the run had no streamed answer (nothing to judge). */
function streamLatency(result: LoadResult, metric: StreamLatency, stat: LatencyStat): number {
  const st = result.summary.stream;
  if (!st || st.streamed === 0) return Number.NaN;
  const h = metric === 'ttft' ? st.ttftMs : metric === 'itl' ? st.itlMs : metric === 'tpot' ? st.tpotMs : st.ttfbMs;
  return h[stat];
}

export function compare(value: number, op: Comparison, limit: number): boolean {
  switch (op) {
    case '<': return value < limit;
    case '<=': return value <= limit;
    case '>': return value > limit;
    case '>=': return value >= limit;
  }
}

export function evaluateThresholds(result: LoadResult, exprs: readonly string[]): ThresholdOutcome[] {
  return exprs.map((expr) => {
    const t = parseThreshold(expr);
    const value = thresholdValue(t, result);
    return { expr, ok: compare(value, t.op, t.limit), value: Math.round(value * 1000) / 1000 };
  });
}

export function formatThresholdOutcome(o: ThresholdOutcome): string {
  // A k6 import keeps k6's own expressions (`http_req_duration: p(95)<200`): printed as they are, without a unit.
  let unit = '';
  try {
    const t = parseThreshold(o.expr);
    unit = t.unit === 'fraction' ? '' : t.unit === '%' ? '%' : ` ${t.unit}`;
  } catch { /* not a vigil expression */ }
  const value = Number.isFinite(o.value) ? `${o.value}${unit}` : 'n/a (not in this result)';
  return `${o.ok ? 'PASS' : 'FAIL'}  ${o.expr.padEnd(22)} measured ${value}`;
}
