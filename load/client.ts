/**
 * The HTTP side of the engine: one keep-alive undici Pool per origin, requests sent through
 * `dispatch` with a small handler (no streams, no promises per request — the cheapest path
 * undici offers). Each request calls back exactly once with its status or transport error.
 * LLM answers (an SSE body, or a JSON answer to a completion request) are measured by a meter
 * from load/stream/, fed the body chunks with their arrival times; other responses cost nothing more.
 */
import { Client, Pool, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { meterFor, type LlmObservation, type ResponseMeter } from './stream/meter.ts';
import type { Deadline, LoadTransport, WireProtocol } from './transport.ts';

export interface Outcome {
  /** The HTTP status, or the gRPC status name (`OK`, `UNAVAILABLE`...); undefined for a transport error. */
  status: number | string | undefined;
  error: Error | undefined;
  bytesIn: number;
  /** When the request was written to a connection (performance clock, ms); undefined if it never was. */
  sentAt: number | undefined;
  /** The LLM answer's measurements, when the response was one. */
  llm: LlmObservation | undefined;
}

/** The per-request deadline passed (`--deadline`): classified as a timeout. */
export class DeadlineExceeded extends Error {
  readonly code = 'VIGIL_DEADLINE_EXCEEDED';
  constructor(ms: number) { super(`the request did not complete within its deadline (${ms} ms from its intended start)`); }
}

export interface SendSpec {
  /** scheme://host:port: the key of the connection pools. */
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  /** A completion request: a JSON answer to it is read for its token usage. */
  expectsCompletion: boolean;
}

export class HttpClient implements LoadTransport {
  private readonly pools = new Map<string, Pool>();
  /** The closed model's connections: one undici Client per (loop, origin). */
  private readonly connections = new Map<string, Client>();
  /** Dispatch options per request spec, built once: undici only reads them. */
  private readonly prepared = new WeakMap<SendSpec, { opts: Dispatcher.DispatchOptions; pool: Pool }>();

  constructor(private readonly connectionsPerOrigin: number, private readonly timeoutMs: number) {}

  protocolFor(): WireProtocol {
    return 'http/1.1';
  }

  pool(origin: string): Pool {
    let p = this.pools.get(origin);
    if (!p) {
      p = new Pool(origin, {
        connections: this.connectionsPerOrigin,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: { timeout: Math.min(this.timeoutMs, 10_000) },
      });
      this.pools.set(origin, p);
    }
    return p;
  }

  /**
   * The connection of closed-model loop `slot` to `origin`. A closed loop never has two requests
   * in flight, so it owns one connection: undici's Client directly, without the Pool's search
   * for a free connection on every request (measured in BENCHMARKS.md).
   */
  connection(origin: string, slot: number): Client {
    const key = `${slot} ${origin}`;
    let c = this.connections.get(key);
    if (!c) {
      c = new Client(origin, { pipelining: 1, keepAliveTimeout: 30_000, connect: { timeout: Math.min(this.timeoutMs, 10_000) } });
      this.connections.set(key, c);
    }
    return c;
  }

  /**
   * Sends `spec` through its origin's pool, or through closed-model loop `slot`'s own connection.
   * With `deadline` ({at: performance-clock ms, ms: its length}) the request completes as a
   * timeout at that moment, wherever it is (queued for a connection, waiting, mid-stream).
   */
  send(spec: SendSpec, done: (o: Outcome) => void, slot?: number, deadline?: Deadline): void {
    const handler = new OutcomeHandler(done, spec.expectsCompletion);
    if (deadline) handler.expireAt(deadline.at, deadline.ms);
    let prepared = this.prepared.get(spec);
    if (!prepared) {
      const opts: Dispatcher.DispatchOptions = {
        path: spec.path,
        method: spec.method as Dispatcher.HttpMethod,
        headers: spec.headers,
        body: spec.body ?? null,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      };
      prepared = { opts, pool: this.pool(spec.origin) };
      this.prepared.set(spec, prepared);
    }
    try {
      (slot === undefined ? prepared.pool : this.connection(spec.origin, slot)).dispatch(prepared.opts, handler);
    } catch (err) {
      handler.onResponseError(undefined, err as Error);
    }
  }

  private all(): Dispatcher[] {
    return [...this.pools.values(), ...this.connections.values()];
  }

  /** Closes gracefully (in-flight requests finish). */
  async close(): Promise<void> {
    await Promise.allSettled(this.all().map((p) => p.close()));
  }

  /** Aborts everything still in flight. */
  async destroy(): Promise<void> {
    await Promise.allSettled(this.all().map((p) => p.destroy()));
  }
}

class OutcomeHandler implements Dispatcher.DispatchHandler {
  private status: number | undefined;
  private bytes = 0;
  private finished = false;
  private sentAt: number | undefined;
  private meter: ResponseMeter | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private expired: DeadlineExceeded | undefined;

  constructor(private readonly done: (o: Outcome) => void, private readonly expectsCompletion: boolean) {}

  expireAt(at: number, ms: number): void {
    this.timer = setTimeout(() => this.expire(new DeadlineExceeded(ms)), Math.max(0, at - performance.now()));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Expired while queued for a connection: it has completed already; do not send it.
    if (this.expired) { controller.abort(this.expired); return; }
    this.sentAt = performance.now();
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    this.meter = meterFor(headers['content-type'], this.expectsCompletion, performance.now());
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bytes += chunk.length;
    this.meter?.data(chunk, performance.now());
  }

  onResponseEnd(): void {
    if (this.finished) return;
    this.finish(undefined, this.meter?.end(performance.now()));
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.finished) return;
    this.finish(error, this.meter?.cut((error as { code?: string }).code ?? error.message));
  }

  private expire(err: DeadlineExceeded): void {
    if (this.finished) return;
    this.expired = err;
    this.finish(err, undefined);
    this.controller?.abort(err);
  }

  private finish(error: Error | undefined, llm: LlmObservation | undefined): void {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.done({ status: error ? undefined : this.status, error, bytesIn: this.bytes, sentAt: this.sentAt, llm });
  }
}
