/**
 * Threshold expressions (`--threshold 'p99<250ms'`): a metric, a comparison and a limit.
 * Latency metrics (p50 p90 p95 p99 p999 max mean) take ms or s (a bare number is ms);
 * `error_rate` takes a percentage (`1%`) or a fraction (`0.01`, k6's style); `qps` takes requests/s.
 * The outcome's value is in the unit the expression was written in.
 */
import { loadErrors } from './errors.ts';
import type { LoadResult, ThresholdOutcome } from './result.ts';

export type ThresholdMetric = 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max' | 'mean' | 'error_rate' | 'qps';
export type Comparison = '<' | '<=' | '>' | '>=';

export interface ParsedThreshold {
  expr: string;
  metric: ThresholdMetric;
  op: Comparison;
  /** The limit in the expression's unit. */
  limit: number;
  unit: 'ms' | 's' | '%' | 'fraction' | 'req/s';
}

const LATENCY = new Set(['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean']);
const PATTERN = /^\s*([a-z_0-9]+)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|%|\/s)?\s*$/;

export function parseThreshold(expr: string): ParsedThreshold {
  const m = PATTERN.exec(expr);
  if (!m) throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: 'write metric, comparison (< <= > >=) and limit' });
  const [, metric = '', op = '<', num = '0', suffix] = m;
  const limit = Number(num);
  if (LATENCY.has(metric)) {
    if (suffix !== undefined && suffix !== 'ms' && suffix !== 's') throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: `${metric} is a latency: use ms or s` });
    return { expr, metric: metric as ThresholdMetric, op: op as Comparison, limit, unit: suffix === 's' ? 's' : 'ms' };
  }
  if (metric === 'error_rate') {
    if (suffix !== undefined && suffix !== '%') throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: 'error_rate is a percentage (1%) or a fraction (0.01)' });
    if (suffix === undefined && limit > 1) throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: 'a bare error_rate is a fraction between 0 and 1; write 5% for a percentage' });
    return { expr, metric: 'error_rate', op: op as Comparison, limit, unit: suffix === '%' ? '%' : 'fraction' };
  }
  if (metric === 'qps') {
    if (suffix !== undefined && suffix !== '/s') throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: 'qps is in requests/s: write qps>100' });
    return { expr, metric: 'qps', op: op as Comparison, limit, unit: 'req/s' };
  }
  throw loadErrors.VIGIL_LOAD_BAD_THRESHOLD({ expr, rule: `unknown metric "${metric}" (use p50 p90 p95 p99 p999 max mean error_rate qps)` });
}

/** The measured value of a threshold's metric, in the threshold's unit. */
export function thresholdValue(t: ParsedThreshold, result: LoadResult): number {
  const s = result.summary;
  switch (t.metric) {
    case 'qps': return s.qps;
    case 'error_rate': return t.unit === '%' ? s.errors.rate * 100 : s.errors.rate;
    default: {
      const ms = s.latencyMs[t.metric];
      return t.unit === 's' ? ms / 1000 : ms;
    }
  }
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
  const t = parseThreshold(o.expr);
  const unit = t.unit === 'fraction' ? '' : t.unit === 'req/s' ? ' req/s' : t.unit === '%' ? '%' : ` ${t.unit}`;
  return `${o.ok ? 'PASS' : 'FAIL'}  ${o.expr.padEnd(22)} measured ${o.value}${unit}`;
}
