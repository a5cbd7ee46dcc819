/**
 * The `vigil.load.result/v1` file format (SPEC.md, "Load result file"). Every producer
 * (load run, merge, import-k6) and consumer (compare, reports, capacity, schedule) uses these types.
 * Units: latencies in milliseconds, durations in seconds, rates in requests/s, `errors.rate` a fraction.
 */

export const LOAD_RESULT_SCHEMA = 'vigil.load.result/v1';

export type WorkloadModel = 'open' | 'closed' | 'stages' | 'original';

export type ErrorClass = 'timeout' | 'connect' | 'reset' | 'http4xx' | 'http5xx' | 'other';
export const ERROR_CLASSES: readonly ErrorClass[] = ['timeout', 'connect', 'reset', 'http4xx', 'http5xx', 'other'];

/**
 * A statistic k6 did not compute (k6 imports) is NaN in memory and null in the file (JSON has no
 * NaN); `readLoadResult` turns the null back into NaN. Results of `load run` always have numbers.
 */
export interface LatencySummaryMs {
  min: number; mean: number; p50: number; p90: number; p95: number; p99: number; p999: number; max: number;
  /** Standard deviation, when known. */
  stdev?: number;
}

export interface ErrorSummary {
  total: number;
  /** errors / requests, a fraction (0.01 = 1 %). */
  rate: number;
  byClass: Record<ErrorClass, number>;
}

export interface LoadSummary {
  requests: number;
  /** Measured duration (warmup excluded), seconds. */
  durationS: number;
  /** Completed requests per second over `durationS`. */
  qps: number;
  /** Offered arrival rate (requests/s) for open models; null for closed. */
  offeredRate: number | null;
  latencyMs: LatencySummaryMs;
  errors: ErrorSummary;
  /** Count per HTTP status code; responses only (transport errors are in `errors`). */
  status: Record<string, number>;
  bytesIn: number;
  bytesOut: number;
  /** Arrivals that could not be sent because `maxInFlight` was reached (open models). */
  droppedIterations: number;
  /** Open models: how late the generator fired measured arrivals, ms (already part of every latency). */
  schedulerLatenessMs?: { p50: number; p99: number; max: number };
}

export interface IntervalSummary {
  /** Seconds since the start of measurement; the interval covers (t-1, t]. */
  t: number;
  requests: number;
  qps: number;
  latencyMs: { p50: number; p95: number; p99: number; max?: number };
  errors: number;
  /** Encoded HdrHistogram of this interval, for exact merges (optional). */
  histogram?: string;
}

export interface EndpointSummary {
  requests: number;
  latencyMs: Partial<LatencySummaryMs>;
  errors: Partial<Record<ErrorClass, number>> & { total?: number };
  status?: Record<string, number>;
  histogram?: string;
}

export interface ThresholdOutcome {
  expr: string;
  ok: boolean;
  /** The measured value, in the unit of the expression (ms, %, req/s); NaN (null in the file) when unknown. */
  value: number;
}

export interface LoadConfigEcho {
  model: WorkloadModel;
  rate: number | null;
  connections: number | null;
  durationS: number | null;
  warmupS: number;
  [key: string]: unknown;
}

export interface LoadResult {
  schema: typeof LOAD_RESULT_SCHEMA;
  target: string;
  startedAt: string;
  endedAt: string;
  aborted: boolean;
  config: LoadConfigEcho;
  summary: LoadSummary;
  intervals: IntervalSummary[];
  endpoints: Record<string, EndpointSummary>;
  /** base64 of the encoded (compressed) HdrHistogram, overall, microseconds. */
  histogram: string;
  thresholds: ThresholdOutcome[];
}
