/**
 * Records the outcome of every measured request: latency into HdrHistograms (overall, per 1 s
 * interval by completion time, per endpoint), status codes, error classes, bytes. Turns them into
 * the summary, interval and endpoint sections of a LoadResult. Pure bookkeeping, no clocks.
 */
import { createHistogram, encodeHistogram, quickPercentiles, summarizeHistogram, type Histogram } from './histogram.ts';
import { StreamRecorder } from './stream/stream-recorder.ts';
import { ERROR_CLASSES, type EndpointSummary, type ErrorClass, type ErrorSummary, type IntervalSummary, type LatencySummaryMs } from './result.ts';

export interface EndpointStats {
  readonly key: string;
  hist: Histogram;
  requests: number;
  errors: Record<ErrorClass, number>;
  status: Record<string, number>;
  /** The wire protocol its requests went over (`http/1.1`, `h2`, `h2c`, `grpc`, `grpcs`). */
  protocol?: string;
}

interface IntervalStats { hist: Histogram; requests: number; errors: number }

const zeroErrors = (): Record<ErrorClass, number> => ({ timeout: 0, connect: 0, reset: 0, http4xx: 0, http5xx: 0, stream: 0, grpc: 0, other: 0 });

export class Recorder {
  readonly overall: Histogram = createHistogram();
  requests = 0;
  readonly errors: Record<ErrorClass, number> = zeroErrors();
  readonly status: Record<string, number> = {};
  bytesIn = 0;
  bytesOut = 0;
  droppedIterations = 0;
  /** Open models: how late the scheduler fired each measured arrival, µs (part of every latency). */
  readonly lateness: Histogram = createHistogram();
  /** Intended start → written to a connection, µs (lateness + waiting for a connection + connecting). */
  readonly sendDelay: Histogram = createHistogram();
  /** LLM answers: TTFT, ITL, TPOT, TTFB, tokens. */
  readonly stream = new StreamRecorder();
  /** The first cause seen of each error class ("ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1", "HTTP 503"). */
  readonly firstCause: Partial<Record<ErrorClass, string>> = {};
  /** Requests that met every per-request SLO (goodput). */
  good = 0;
  private readonly endpoints = new Map<string, EndpointStats>();
  private readonly intervals: (IntervalStats | undefined)[] = [];

  recordLateness(ms: number): void {
    this.lateness.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  recordSendDelay(ms: number): void {
    this.sendDelay.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  endpoint(key: string): EndpointStats {
    let e = this.endpoints.get(key);
    if (!e) {
      e = { key, hist: createHistogram(), requests: 0, errors: zeroErrors(), status: {} };
      this.endpoints.set(key, e);
    }
    return e;
  }

  /**
   * One measured request. `latencyUs` is set for every HTTP response (any status) and undefined
   * for transport errors; `completedMs` is ms since the start of measurement.
   */
  record(ep: EndpointStats, completedMs: number, latencyUs: number | undefined, status: number | string | undefined, errorClass: ErrorClass | undefined, bytesIn: number, bytesOut: number): void {
    this.requests++;
    ep.requests++;
    this.bytesIn += bytesIn;
    this.bytesOut += bytesOut;
    const iv = this.interval(Math.max(0, Math.floor(completedMs / 1000)));
    iv.requests++;
    if (latencyUs !== undefined) {
      const v = Math.max(1, Math.round(latencyUs));
      this.overall.recordValue(v);
      ep.hist.recordValue(v);
      iv.hist.recordValue(v);
    }
    if (status !== undefined) {
      const k = String(status);
      this.status[k] = (this.status[k] ?? 0) + 1;
      ep.status[k] = (ep.status[k] ?? 0) + 1;
    }
    if (errorClass !== undefined) {
      this.errors[errorClass]++;
      ep.errors[errorClass]++;
      iv.errors++;
    }
  }

  private interval(i: number): IntervalStats {
    let iv = this.intervals[i];
    if (!iv) {
      iv = { hist: createHistogram(), requests: 0, errors: 0 };
      this.intervals[i] = iv;
    }
    return iv;
  }

  /** Summary of interval i (covering (i, i+1] seconds); `withHistogram` adds the encoded histogram. */
  intervalSummary(i: number, withHistogram: boolean): IntervalSummary {
    const iv = this.intervals[i] ?? { hist: createHistogram(), requests: 0, errors: 0 };
    const out: IntervalSummary = { t: i + 1, requests: iv.requests, qps: iv.requests, latencyMs: quickPercentiles(iv.hist), errors: iv.errors };
    if (withHistogram && iv.hist.totalCount > 0) out.histogram = encodeHistogram(iv.hist);
    const stream = this.stream.intervalSummary(i, withHistogram);
    if (stream) out.stream = stream;
    return out;
  }

  /** All intervals up to the last one that saw a completion (or `minCount`), in order. */
  intervalSummaries(minCount: number): IntervalSummary[] {
    const n = Math.max(this.intervals.length, minCount);
    const out: IntervalSummary[] = [];
    for (let i = 0; i < n; i++) out.push(this.intervalSummary(i, true));
    return out;
  }

  /** Keeps the first cause of each class only: later ones are usually the same, and cheap to skip. */
  noteCause(errorClass: ErrorClass, describe: () => string): void {
    if (this.firstCause[errorClass] === undefined) this.firstCause[errorClass] = describe();
  }

  errorSummary(): ErrorSummary {
    const total = ERROR_CLASSES.reduce((sum, c) => sum + this.errors[c], 0);
    const out: ErrorSummary = { total, rate: this.requests > 0 ? total / this.requests : 0, byClass: { ...this.errors } };
    if (total > 0) out.firstCause = { ...this.firstCause };
    return out;
  }

  latency(): LatencySummaryMs {
    return summarizeHistogram(this.overall);
  }

  /** `durationS`: the measured duration, for the endpoints' output tokens/s. */
  endpointSummaries(durationS = 0): Record<string, EndpointSummary> {
    const out: Record<string, EndpointSummary> = {};
    for (const e of [...this.endpoints.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      if (e.requests === 0) continue;
      const total = ERROR_CLASSES.reduce((sum, c) => sum + e.errors[c], 0);
      out[e.key] = { requests: e.requests, latencyMs: summarizeHistogram(e.hist), errors: { ...e.errors, total }, status: { ...e.status }, histogram: encodeHistogram(e.hist) };
      if (e.protocol) (out[e.key] as EndpointSummary).protocol = e.protocol;
      const stream = this.stream.endpointSummary(e.key, durationS);
      if (stream) out[e.key] = { ...out[e.key] as EndpointSummary, stream };
    }
    return out;
  }
}
