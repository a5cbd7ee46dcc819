/**
 * The HTTP/2 side of the engine (`--http2`), on node:http2: h2 over TLS (ALPN "h2") for https://
 * targets, h2c with prior knowledge (RFC 9113 §3.3) for http:// ones. Per origin at most
 * `maxSessions` connections, each carrying at most `maxStreams` concurrent streams (or fewer when
 * the server's SETTINGS_MAX_CONCURRENT_STREAMS says so); requests beyond wait in a FIFO queue, still
 * timed from their intended start, like HTTP/1.1 requests waiting for a free connection.
 *
 * node:http2 rather than undici's `allowH2`: against the same h2c server, one connection with 100
 * streams, undici 7.30 sent 2,079 req/s and node:http2 5,817 (BENCHMARKS.md, "HTTP/2 and gRPC").
 */
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders, type SecureClientSessionOptions } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { DeadlineExceeded, type Outcome, type SendSpec } from './client.ts';
import { meterFor, type LlmObservation, type ResponseMeter } from './stream/meter.ts';
import type { Deadline, LoadTransport, WireProtocol } from './transport.ts';

/** RFC 9113 §8.2.2: connection-specific fields are malformed in HTTP/2 (node refuses to send them). */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'http2-settings']);

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

export interface Http2ClientOptions {
  maxSessions: number;
  maxStreams: number;
  timeoutMs: number;
  /** TLS options for https:// origins (CA, client certificate, rejectUnauthorized). */
  tls?: SecureClientSessionOptions;
}

export class Http2Client implements LoadTransport {
  private readonly origins = new Map<string, OriginSessions>();
  private readonly headers = new WeakMap<SendSpec, OutgoingHttpHeaders>();

  constructor(private readonly o: Http2ClientOptions) {}

  protocolFor(origin: string): WireProtocol {
    return origin.startsWith('https:') ? 'h2' : 'h2c';
  }

  send(spec: SendSpec, done: (o: Outcome) => void, _slot: number | undefined, deadline: Deadline | undefined): void {
    let headers = this.headers.get(spec);
    if (!headers) {
      headers = h2Headers(spec);
      this.headers.set(spec, headers);
    }
    const call = new H2Call(spec, headers, done, this.o.timeoutMs);
    if (deadline) call.expireAt(deadline);
    let pool = this.origins.get(spec.origin);
    if (!pool) {
      pool = new OriginSessions(spec.origin, this.o);
      this.origins.set(spec.origin, pool);
    }
    pool.submit(call);
  }

  async destroy(): Promise<void> {
    for (const pool of this.origins.values()) pool.destroy();
    this.origins.clear();
  }
}

function h2Headers(spec: SendSpec): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { [constants.HTTP2_HEADER_METHOD]: spec.method, [constants.HTTP2_HEADER_PATH]: spec.path };
  for (const [k, v] of Object.entries(spec.headers)) {
    const name = k.toLowerCase();
    if (!CONNECTION_SPECIFIC.has(name) && !(name === 'te' && v.toLowerCase() !== 'trailers')) out[name] = v;
  }
  return out;
}

interface Session { s: ClientHttp2Session; active: number; limit: number; connected: boolean; calls: Set<H2Call> }

/** The sessions to one origin and the FIFO queue of requests waiting for a free stream. */
class OriginSessions {
  private readonly sessions: Session[] = [];
  private queue: H2Call[] = [];
  private head = 0;

  constructor(private readonly origin: string, private readonly o: Http2ClientOptions) {}

  submit(call: H2Call): void {
    const session = this.free() ?? (this.sessions.length < this.o.maxSessions ? this.open() : undefined);
    if (session) this.start(session, call);
    else this.queue.push(call);
  }

  private free(): Session | undefined {
    // A session is destroyed before its 'error'/'close' events are emitted: callbacks of its failed
    // streams that send again must not pick it.
    for (let i = this.sessions.length - 1; i >= 0; i--) if ((this.sessions[i] as Session).s.destroyed) this.sessions.splice(i, 1);
    for (const s of this.sessions) if (s.active < s.limit) return s;
    return undefined;
  }

  private start(session: Session, call: H2Call): void {
    session.active++;
    session.calls.add(call);
    call.start(session.s, () => {
      session.active--;
      session.calls.delete(call);
      this.drain();
    });
  }

  private drain(): void {
    while (this.head < this.queue.length) {
      const next = this.queue[this.head] as H2Call;
      if (next.finished) { this.head++; continue; } // its deadline passed while it waited
      const session = this.free() ?? (this.sessions.length < this.o.maxSessions ? this.open() : undefined);
      if (!session) break;
      this.head++;
      this.start(session, next);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) { this.queue = this.queue.slice(this.head); this.head = 0; }
  }

  private open(): Session {
    const s = connect(this.origin, { ...this.o.tls, ALPNProtocols: ['h2'], settings: { enablePush: false } });
    const session: Session = { s, active: 0, limit: this.o.maxStreams, connected: false, calls: new Set() };
    this.sessions.push(session);
    const timer = setTimeout(() => s.destroy(coded(`connect timeout after ${Math.min(this.o.timeoutMs, 10_000)} ms`, 'VIGIL_CONNECT_TIMEOUT')), Math.min(this.o.timeoutMs, 10_000));
    s.once('connect', () => { clearTimeout(timer); session.connected = true; });
    s.on('remoteSettings', (settings) => {
      session.limit = Math.min(this.o.maxStreams, settings.maxConcurrentStreams ?? this.o.maxStreams);
      this.drain();
    });
    const gone = (err?: Error): void => {
      clearTimeout(timer);
      const i = this.sessions.indexOf(session);
      if (i < 0) return;
      this.sessions.splice(i, 1);
      // A failed connect fails its requests with the cause (ECONNREFUSED is `connect`, not `reset`).
      if (err) for (const c of [...session.calls]) c.fail(err);
      this.drain();
    };
    s.on('error', gone);
    s.on('goaway', () => gone());
    s.on('close', () => gone());
    return session;
  }

  destroy(): void {
    for (const c of this.queue.slice(this.head)) c.fail(coded('the run ended before this request got a stream', 'ERR_HTTP2_STREAM_CANCEL'));
    this.queue = [];
    this.head = 0;
    for (const session of [...this.sessions]) session.s.destroy();
  }
}

/** One request on one stream; calls back exactly once. */
class H2Call {
  finished = false;
  private status: number | undefined;
  private bytes = 0;
  private sentAt: number | undefined;
  private meter: ResponseMeter | undefined;
  private stream: ClientHttp2Stream | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly spec: SendSpec, private readonly headers: OutgoingHttpHeaders, private readonly done: (o: Outcome) => void, private readonly timeoutMs: number) {}

  expireAt(d: Deadline): void {
    this.timer = setTimeout(() => {
      this.finish(new DeadlineExceeded(d.ms), undefined);
      this.stream?.close(constants.NGHTTP2_CANCEL);
    }, Math.max(0, d.at - performance.now()));
  }

  start(session: ClientHttp2Session, released: () => void): void {
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(this.headers, { endStream: this.spec.body === undefined });
    } catch (err) {
      this.fail(err as Error);
      released();
      return;
    }
    this.stream = stream;
    this.sentAt = performance.now();
    // Inactivity on the stream: waiting for the headers, or between body chunks (as --timeout for HTTP/1.1).
    stream.setTimeout(this.timeoutMs, () => {
      this.fail(coded(`no response activity for ${this.timeoutMs} ms`, 'ETIMEDOUT'));
      stream.close(constants.NGHTTP2_CANCEL);
    });
    stream.on('response', (h: IncomingHttpHeaders) => {
      this.status = Number(h[constants.HTTP2_HEADER_STATUS]);
      this.meter = meterFor(h['content-type'], this.spec.expectsCompletion, performance.now());
    });
    stream.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      this.meter?.data(chunk, performance.now());
    });
    stream.on('end', () => {
      if (this.status !== undefined) { this.finish(undefined, this.meter?.end(performance.now())); return; }
      // Ended with no response: the session broke (e.g. the server refused the client's certificate
      // after a TLS 1.3 handshake). Its error, emitted next, is the cause; this is the fallback.
      setImmediate(() => this.fail(coded('the stream ended without a response', 'ERR_HTTP2_STREAM_ERROR')));
    });
    stream.on('error', (err: Error) => this.fail(err));
    stream.on('close', () => {
      if (!this.finished) this.fail(coded(`stream closed by the server (code ${stream.rstCode})`, 'ERR_HTTP2_STREAM_ERROR'));
      released();
    });
    if (this.spec.body !== undefined) stream.end(this.spec.body);
    if (this.finished) stream.close(constants.NGHTTP2_CANCEL); // expired between the queue and here
  }

  fail(err: Error): void {
    if (this.finished) return;
    this.finish(err, this.meter?.cut((err as { code?: string }).code ?? err.message));
  }

  private finish(error: Error | undefined, llm: LlmObservation | undefined): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.done({ status: error ? undefined : this.status, error, bytesIn: this.bytes, sentAt: this.sentAt, llm });
  }
}
