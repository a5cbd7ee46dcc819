import { ERROR_CLASSES, LOAD_RESULT_SCHEMA } from '../result.ts';
import type { EndpointSummary, ErrorClass, LatencySummaryMs, LoadResult, ThresholdOutcome } from '../result.ts';
import { replayErrors } from '../replay-errors.ts';

/**
 * Reads a k6 end-of-test summary into `vigil.load.result/v1`. Two shapes exist:
 *  - handleSummary's `data`: each metric is `{ type, contains, values: {...}, thresholds: { expr: { ok } } }`,
 *    run time in `state.testRunDurationMs`;
 *  - `k6 run --summary-export`: each metric's values sit directly on the metric, rate metrics
 *    carry `value`, and thresholds map expr → boolean where `true` means the threshold FAILED.
 * k6 keeps no histogram, so the result has an empty `histogram` and `config.source: "k6"`;
 * percentiles k6 did not compute (p(99) unless summaryTrendStats asks for it) are null.
 */

export interface K6ImportOptions {
  /** Name of the summary file, for error messages and the config echo. */
  file: string;
  /** End of the run (the summary has no timestamps); defaults to now. */
  endedAt?: Date;
}

type Shape = 'handleSummary' | 'summary-export';
interface MetricView { values: Record<string, number>; thresholds: { expr: string; ok: boolean }[] }

export function importK6Summary(json: unknown, opts: K6ImportOptions): LoadResult {
  if (!isObject(json) || !isObject(json.metrics)) throw replayErrors.VIGIL_K6_SUMMARY_INVALID({ file: opts.file, rule: 'no "metrics" object at the top level' });
  const shape = detectShape(json.metrics);
  const metrics = new Map<string, MetricView>();
  for (const [name, raw] of Object.entries(json.metrics)) {
    if (!isObject(raw)) throw replayErrors.VIGIL_K6_SUMMARY_INVALID({ file: opts.file, rule: `metrics.${name} is not an object` });
    metrics.set(name, view(raw, shape));
  }
  const reqs = metrics.get('http_reqs');
  const duration = metrics.get('http_req_duration');
  if (!reqs || !duration) throw replayErrors.VIGIL_K6_SUMMARY_INVALID({ file: opts.file, rule: 'metrics.http_reqs and metrics.http_req_duration are required (did the script make HTTP requests?)' });
  const requests = reqs.values.count ?? 0;
  const rate = reqs.values.rate ?? 0;
  const stateMs = isObject(json.state) && typeof json.state.testRunDurationMs === 'number' ? json.state.testRunDurationMs : undefined;
  const durationS = stateMs !== undefined ? stateMs / 1000 : rate > 0 ? requests / rate : 0;
  const failed = failedCount(metrics.get('http_req_failed'), requests);
  const endedAt = opts.endedAt ?? new Date();
  const dropped = metrics.get('dropped_iterations')?.values.count ?? 0;
  const vusMax = metrics.get('vus_max')?.values.max ?? metrics.get('vus_max')?.values.value ?? null;
  const byClass = Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as Record<ErrorClass, number>;
  byClass.other = failed;
  return {
    schema: LOAD_RESULT_SCHEMA,
    target: '',
    startedAt: new Date(endedAt.getTime() - durationS * 1000).toISOString(),
    endedAt: endedAt.toISOString(),
    aborted: false,
    config: {
      model: metrics.has('dropped_iterations') ? 'open' : 'closed',
      rate: null,
      connections: vusMax,
      durationS: round(durationS),
      warmupS: 0,
      source: 'k6',
      k6: { file: opts.file, shape, histogram: 'none: k6 summaries carry aggregated percentiles only, so this result cannot be merged exactly', errors: 'k6 counts failed requests (http_req_failed) without a class; they are under "other"' },
    },
    summary: {
      requests,
      durationS: round(durationS),
      qps: durationS > 0 ? requests / durationS : rate,
      offeredRate: null,
      latencyMs: trendToLatency(duration.values),
      errors: { total: failed, rate: requests > 0 ? failed / requests : 0, byClass },
      status: {},
      bytesIn: metrics.get('data_received')?.values.count ?? 0,
      bytesOut: metrics.get('data_sent')?.values.count ?? 0,
      droppedIterations: dropped,
    },
    intervals: [],
    endpoints: endpointsFromSubmetrics(metrics),
    histogram: '',
    thresholds: thresholdsOf(metrics),
  };
}

function detectShape(metrics: Record<string, unknown>): Shape {
  const any = Object.values(metrics).find(isObject);
  return any && isObject(any.values) ? 'handleSummary' : 'summary-export';
}

/** One metric, normalised: numbers by stat name, thresholds with `ok` (true = passed). */
function view(raw: Record<string, unknown>, shape: Shape): MetricView {
  const source = shape === 'handleSummary' && isObject(raw.values) ? raw.values : raw;
  const values: Record<string, number> = {};
  for (const [k, v] of Object.entries(source)) if (typeof v === 'number') values[k] = v;
  // summary-export: rate metrics report their rate as `value`; handleSummary calls it `rate`.
  if (shape === 'summary-export' && values.value !== undefined && (values.passes !== undefined || values.fails !== undefined)) values.rate = values.value;
  const thresholds: MetricView['thresholds'] = [];
  if (isObject(raw.thresholds)) {
    for (const [expr, v] of Object.entries(raw.thresholds)) {
      // --summary-export: `true` means the threshold FAILED (grafana/k6#1498). handleSummary: { ok }.
      const ok = shape === 'summary-export' ? v === false : isObject(v) && v.ok === true;
      thresholds.push({ expr, ok });
    }
  }
  return { values, thresholds };
}

/** http_req_failed is a rate metric where a failed request adds 1: its `passes` are the failures. */
function failedCount(m: MetricView | undefined, requests: number): number {
  if (!m) return 0;
  if (m.values.passes !== undefined) return m.values.passes;
  return Math.round((m.values.rate ?? 0) * requests);
}

function trendToLatency(v: Record<string, number>): LatencySummaryMs {
  const get = (k: string): number => v[k] ?? Number.NaN; // NaN → null in the JSON file: not computed by k6
  return { min: get('min'), mean: get('avg'), p50: v.med ?? get('p(50)'), p90: get('p(90)'), p95: get('p(95)'), p99: get('p(99)'), p999: get('p(99.9)'), max: get('max') };
}

/** Tagged sub-metrics such as `http_req_duration{name:predict}` become endpoints. */
function endpointsFromSubmetrics(metrics: Map<string, MetricView>): Record<string, EndpointSummary> {
  const out: Record<string, EndpointSummary> = {};
  for (const [name, m] of metrics) {
    const tag = /^http_req_duration\{name:(.+)\}$/.exec(name)?.[1];
    if (!tag) continue;
    const count = metrics.get(`http_reqs{name:${tag}}`)?.values.count ?? 0;
    out[tag] = { requests: count, latencyMs: trendToLatency(m.values), errors: {} };
  }
  return out;
}

function thresholdsOf(metrics: Map<string, MetricView>): ThresholdOutcome[] {
  const out: ThresholdOutcome[] = [];
  for (const [name, m] of metrics) {
    for (const t of m.thresholds) out.push({ expr: `${name}: ${t.expr}`, ok: t.ok, value: statOf(m.values, t.expr) });
  }
  return out;
}

/** The value a k6 threshold expression tests (`p(95)<500` → values['p(95)']), when known. */
function statOf(values: Record<string, number>, expr: string): number {
  const stat = /^\s*([a-z]+(?:\([\d.]+\))?)/.exec(expr)?.[1];
  if (!stat) return Number.NaN;
  return values[stat] ?? (stat === 'med' ? values['p(50)'] : undefined) ?? Number.NaN;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
