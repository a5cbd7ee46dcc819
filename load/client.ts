/**
 * The HTTP side of the engine: one keep-alive undici Pool per origin, requests sent through
 * `dispatch` with a small handler (no streams, no promises per request — the cheapest path
 * undici offers). Each request calls back exactly once with its status or transport error.
 */
import { Client, Pool, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';

export interface Outcome {
  status: number | undefined;
  error: Error | undefined;
  bytesIn: number;
}

export interface SendSpec {
  pool: Pool;
  /** scheme://host:port, the key of `pool` and of the closed model's own connections. */
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

export class HttpClient {
  private readonly pools = new Map<string, Pool>();
  /** The closed model's connections: one undici Client per (loop, origin). */
  private readonly connections = new Map<string, Client>();
  /** Dispatch options per request spec, built once: undici only reads them. */
  private readonly prepared = new WeakMap<SendSpec, Dispatcher.DispatchOptions>();

  constructor(private readonly connectionsPerOrigin: number, private readonly timeoutMs: number) {}

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

  /** Sends `spec` through its origin's pool, or through `via` (a closed loop's own connection). */
  send(spec: SendSpec, done: (o: Outcome) => void, via?: Dispatcher): void {
    const handler = new OutcomeHandler(done);
    let opts = this.prepared.get(spec);
    if (!opts) {
      opts = {
        path: spec.path,
        method: spec.method as Dispatcher.HttpMethod,
        headers: spec.headers,
        body: spec.body ?? null,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      };
      this.prepared.set(spec, opts);
    }
    try {
      (via ?? spec.pool).dispatch(opts, handler);
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

  constructor(private readonly done: (o: Outcome) => void) {}

  onRequestStart(): void { /* nothing to set up */ }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, _headers: IncomingHttpHeaders): void {
    this.status = statusCode;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bytes += chunk.length;
  }

  onResponseEnd(): void {
    if (this.finished) return;
    this.finished = true;
    this.done({ status: this.status, error: undefined, bytesIn: this.bytes });
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.done({ status: undefined, error, bytesIn: this.bytes });
  }
}
