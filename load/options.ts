/**
 * The validated options of a load run (contract B). Built by `resolveLoadOptions` from flags and
 * an optional scenario file; `runLoad` takes them as they are.
 */
import type { TrafficSource } from './sources/source.ts';
import type { WorkloadModel } from './result.ts';
import type { Arrivals } from './arrivals.ts';

export type { WorkloadModel };

/** One stage of a ramping arrival rate (k6 ramping-arrival-rate): ramp linearly to `target` req/s over `durationMs`. */
export interface Stage { durationMs: number; target: number }

export interface LoadOptions {
  /** Base URL; paths of the source are resolved against it. May be '' when every request has an absolute url. */
  target: string;
  source: TrafficSource;
  model: WorkloadModel;
  /** open: requests/s. */
  rate?: number;
  /** closed: concurrent loops. */
  connections?: number;
  /** stages: the ramp. */
  stages?: Stage[];
  /** stages: rate at t=0, requests/s (default 0, as k6's startRate). */
  startRate?: number;
  /** original: time scale (2 = twice as fast). */
  speed?: number;
  /** original: repeat the recording when it ends. */
  loop?: boolean;
  /** Stop after this long (after warmup), ms. */
  durationMs?: number;
  /** Or after this many measured requests. */
  requests?: number;
  /** Excluded from all statistics, ms. */
  warmupMs: number;
  /** Per request, ms (waiting for headers, and between body chunks). */
  timeoutMs: number;
  /** Open models: arrivals beyond this many requests in flight are dropped and counted. */
  maxInFlight: number;
  /**
   * Open models: keep-alive connections per origin (HTTP/1.1, no pipelining). Requests beyond it
   * wait in the client's queue — still timed from their intended start — instead of opening ever
   * more connections when the target slows down (which makes a struggling target collapse).
   */
  maxConnections?: number;
  /** Threshold expressions evaluated on the result: 'p99<250ms', 'error_rate<1%', 'qps>100'. */
  thresholds: string[];
  /** Open models (rate, stages): how arrivals are spaced; evenly (constant) when absent. */
  arrival?: Arrivals;
  /** Per-request SLOs that define goodput: 'ttft<500ms', 'tpot<50ms', 'e2e<2s'. */
  slo?: string[];
  /** Total per-request deadline, from the intended start (open models) or the send (closed), ms. */
  deadlineMs?: number;
  /** Send over HTTP/2 (`--http2`): h2 with ALPN for https://, h2c with prior knowledge for http://. */
  http2?: boolean;
  /** HTTP/2: concurrent streams per connection (`--max-streams`, default 100). */
  maxStreams?: number;
  progress?: 'tty' | 'plain' | 'none';
  /** Scenario name, for reports and the scheduler. */
  scenario?: string;
}

export const DEFAULTS = Object.freeze({
  durationMs: 10_000,
  timeoutMs: 10_000,
  warmupMs: 0,
  maxInFlight: 10_000,
  maxConnections: 256,
  connections: 10,
  speed: 1,
  maxStreams: 100,
});
