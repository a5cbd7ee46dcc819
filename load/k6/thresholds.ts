import { parseThreshold } from '../thresholds.ts';
import { replayErrors } from '../replay-errors.ts';

/**
 * vigil threshold expressions in k6 syntax. Latency → `http_req_duration` in ms
 * (`p99<250ms` → `p(99)<250`, `p50` → `med`, `p999` → `p(99.9)`, `mean` → `avg`);
 * `error_rate<1%` → `http_req_failed: rate<0.01` (k6 counts transport errors and 4xx/5xx as
 * failed, as vigil's error classes do); `qps>100` → `http_reqs: rate>100`.
 */
export interface K6Threshold { metric: 'http_req_duration' | 'http_req_failed' | 'http_reqs'; expr: string }

const LATENCY_STAT: Record<string, string> = { p50: 'med', p90: 'p(90)', p95: 'p(95)', p99: 'p(99)', p999: 'p(99.9)', max: 'max', mean: 'avg' };

export function toK6Threshold(vigilExpr: string): K6Threshold {
  const t = parseThreshold(vigilExpr);
  if (t.metric !== 'error_rate' && t.metric !== 'qps' && LATENCY_STAT[t.metric] === undefined) {
    throw replayErrors.VIGIL_K6_EXPORT_UNSUPPORTED({ reason: `threshold ${vigilExpr}: k6 does not see LLM answers (time to first token, tokens, goodput); drop it from the exported scenario` });
  }
  if (t.metric === 'error_rate') return { metric: 'http_req_failed', expr: `rate${t.op}${num(t.unit === '%' ? t.limit / 100 : t.limit)}` };
  if (t.metric === 'qps') return { metric: 'http_reqs', expr: `rate${t.op}${num(t.limit)}` };
  const ms = t.unit === 's' ? t.limit * 1000 : t.limit;
  return { metric: 'http_req_duration', expr: `${LATENCY_STAT[t.metric] as string}${t.op}${num(ms)}` };
}

/** k6's `options.thresholds`; with a `filter` tag (`scenario:main`) thresholds apply to that sub-metric only. */
export function k6Thresholds(exprs: readonly string[], filter?: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of exprs) {
    const t = toK6Threshold(e);
    // k6 tags each request with its vigil endpoint name (tags.name), so `{name:X}` carries over as is.
    const tags = [filter, parseThreshold(e).endpoint === undefined ? undefined : `name:${parseThreshold(e).endpoint as string}`].filter((x) => x !== undefined);
    const key = tags.length > 0 ? `${t.metric}{${tags.join(',')}}` : t.metric;
    (out[key] ??= []).push(t.expr);
  }
  return out;
}

function num(x: number): string {
  return String(Number(x.toPrecision(12)));
}
