/**
 * The `vigil.load.result/v1` file format (SPEC.md, "Load result file"). Every producer
 * (load run, merge, import-k6) and consumer (compare, reports, capacity, schedule) uses these types.
 * Units: latencies in milliseconds, durations in seconds, rates in requests/s, `errors.rate` a fraction.
 */

export const LOAD_RESULT_SCHEMA = 'vigil.load.result/v1';

export type WorkloadModel = 'open' | 'closed' | 'stages' | 'original';

/**
 * `stream`: an LLM stream that failed after its headers (an error event, no [DONE], a cut connection).
 * `grpc`: a gRPC call that ended with a status other than OK (DEADLINE_EXCEEDED is `timeout`); the
 * status names are counted in `status` (`{"OK": 990, "RESOURCE_EXHAUSTED": 10}`).
 */
export type ErrorClass = 'timeout' | 'connect' | 'reset' | 'http4xx' | 'http5xx' | 'stream' | 'grpc' | 'other';
export const ERROR_CLASSES: readonly ErrorClass[] = ['timeout', 'connect', 'reset', 'http4xx', 'http5xx', 'stream', 'grpc', 'other'];

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
  /** The first cause seen of each class that occurred, e.g. `{"connect": "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1"}`. */
  firstCause?: Partial<Record<ErrorClass, string>>;
}

export interface LoadSummary {
  requests: number;
  /** Measured duration (warmup excluded), seconds. */
  durationS: number;
  /** Completed requests per second over `durationS`. */
  qps: number;
  /** Successful requests (no error class) per second over `durationS`: what the summary prints as achieved. */
  successQps?: number;
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
  /**
   * From each request's intended start to its being written to a connection, ms: the generator's
   * lateness plus waiting for a free connection (--max-connections) and connecting. Part of every latency.
   */
  sendDelayMs?: { p50: number; p99: number; max: number };
  /** LLM answers (SSE streams, or JSON answers with `usage`), when the run saw any. */
  stream?: StreamSummary;
  /** Requests meeting every `--slo`, when SLOs were given. */
  goodput?: GoodputSummary;
}

/** Where output token counts came from: the server's `usage`, content-chunk counts (an estimate), both, or no answer succeeded. */
export type TokenSource = 'usage' | 'chunks' | 'mixed' | 'none';

/**
 * The LLM block (`summary.stream`, `endpoints[k].stream`). Every latency is from the request's
 * intended start (open models) like `latencyMs`, in ms; only successful answers count.
 */
export interface StreamSummary {
  /** Successful LLM answers (streamed or not). */
  requests: number;
  /** Of which answered as SSE streams (they alone have TTFT, ITL, TPOT). */
  streamed: number;
  /** Time to the first chunk with content. */
  ttftMs: LatencySummaryMs;
  /** Gaps between consecutive content chunks (per chunk). */
  itlMs: LatencySummaryMs;
  /** (E2E − TTFT) / (output tokens − 1), per request with ≥ 2 tokens. */
  tpotMs: LatencySummaryMs;
  /** Time to the response headers. */
  ttfbMs: LatencySummaryMs;
  outputTokens: { total: number; source: TokenSource; /** answers whose count is a chunk count */ estimatedRequests: number };
  /** From `usage.prompt_tokens` (0 where the server does not send it). */
  inputTokens: { total: number };
  /** Output tokens / the measured duration. */
  outputTokensPerS: number;
  /** Encoded HdrHistograms (µs), for exact merges. */
  histograms: { ttft: string; itl: string; tpot: string; ttfb: string };
}

export interface IntervalStreamSummary {
  /** Successful LLM answers completed in the interval. */
  requests: number;
  /** TTFT of the streams completed in the interval. */
  ttftMs: { p50: number; p99: number };
  /** Output tokens received in the interval (each content chunk counts when it arrived; usage counts spread over its chunks). */
  outputTokensPerS: number;
  /** Encoded TTFT histogram of the interval (µs). */
  histogram?: string;
}

export interface GoodputSummary {
  /** The per-request SLOs, as given (`ttft<500ms`). */
  slo: string[];
  /** Requests answered successfully within every SLO. */
  requests: number;
  /** requests / durationS. */
  perS: number;
  /** requests / (measured requests + dropped iterations), a fraction. */
  attainment: number;
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
  stream?: IntervalStreamSummary;
}

export interface EndpointSummary {
  requests: number;
  latencyMs: Partial<LatencySummaryMs>;
  errors: Partial<Record<ErrorClass, number>> & { total?: number };
  status?: Record<string, number>;
  histogram?: string;
  stream?: StreamSummary;
  /** Wire protocol of its requests: `http/1.1`, `h2` (TLS, ALPN), `h2c` (cleartext), `grpc`, `grpcs`. */
  protocol?: string;
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
