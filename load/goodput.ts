/**
 * Per-request SLOs (`--slo 'ttft<500ms' --slo 'tpot<50ms'`) and goodput: the requests answered
 * successfully within every SLO, per second (vLLM's and GenAI-Perf's `--goodput`). Metrics:
 * `ttft` (time to first token; for an answer that was not streamed, its whole latency: the first
 * token is seen at the end), `tpot` (time per output token; met when a request has fewer than
 * 2 tokens), `e2e` (the request's latency) — each from the intended start, in ms or s.
 */
import { loadErrors } from './errors.ts';

export type SloMetric = 'ttft' | 'tpot' | 'e2e';
export const SLO_METRICS: readonly SloMetric[] = ['ttft', 'tpot', 'e2e'];

export interface Slo { expr: string; metric: SloMetric; inclusive: boolean; limitMs: number }

const PATTERN = /^\s*([a-z0-9_]+)\s*(<=|<)\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s)?\s*$/;

/** Whether `expr` names a per-request SLO metric (else it is a result threshold such as `p99<300ms`). */
export function isPerRequestSlo(expr: string): boolean {
  const m = /^\s*([a-z0-9_]+)/.exec(expr);
  return m !== null && (SLO_METRICS as readonly string[]).includes(m[1] as string);
}

export function parseSlo(expr: string): Slo {
  const m = PATTERN.exec(expr);
  const [, metric = '', op = '<', num = '0', unit] = m ?? [];
  if (!m || !(SLO_METRICS as readonly string[]).includes(metric)) {
    throw loadErrors.VIGIL_LOAD_BAD_SLO({ expr, rule: `write ${SLO_METRICS.join(', ')} with < or <= and a limit in ms or s, e.g. ttft<500ms, tpot<=50ms, e2e<2s` });
  }
  const limitMs = Number(num) * (unit === 's' ? 1000 : 1);
  return { expr: expr.trim(), metric: metric as SloMetric, inclusive: op === '<=', limitMs };
}

/** What one request measured, ms; `ttftMs`/`tpotMs` undefined when it has none. */
export interface RequestTimes { e2eMs: number; ttftMs: number | undefined; tpotMs: number | undefined }

export function meetsSlos(slos: readonly Slo[], t: RequestTimes): boolean {
  for (const s of slos) {
    const v = s.metric === 'e2e' ? t.e2eMs : s.metric === 'ttft' ? t.ttftMs ?? t.e2eMs : t.tpotMs;
    if (v === undefined) continue;
    if (s.inclusive ? v > s.limitMs : v >= s.limitMs) return false;
  }
  return true;
}
