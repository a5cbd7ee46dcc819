import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { MonitorConfig } from '../config.ts';
import type { MonitorEngine } from '../engine.ts';
import { monitorErrors } from '../errors.ts';
import type { MonitorMetrics } from '../metrics.ts';
import type { Codec } from '../protocols/codec.ts';
import { codecFor } from '../protocols/select.ts';
import type { VigilError } from '../../common/errors.ts';
import { ProxyObserver } from './proxy-observer.ts';
import { redactUrls, splitUpstream } from './redact.ts';

/** Hop-by-hop headers (RFC 9110 §7.6.1) are for one connection and are not forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'host']);
/** Not forwarded either: node:http already answered the client's 100-continue, and undici refuses the header. */
const REQUEST_ONLY_HOP = new Set([...HOP_BY_HOP, 'expect']);

export interface Proxy {
  readonly codec: Codec;
  /** Whether a request is the upstream's (forwarded) rather than one of the monitor's own routes. */
  claims(req: IncomingMessage): boolean;
  /** Forwards one request, streaming both bodies; never throws. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/** A copy of a body for observation: its chunks, concatenated once when read; dropped as soon as it passes `max` bytes. */
class Capture {
  private first: Buffer | undefined;
  private rest: Buffer[] | undefined;
  /** When each chunk arrived (ms from `since`), for codecs that time a stream's events. */
  private times: number[] | undefined;
  bytes = 0;
  overflow = false;
  constructor(private readonly max: number, private readonly since?: number) {
    if (since !== undefined) this.times = [];
  }
  add(chunk: Buffer): void {
    if (this.overflow) return;
    this.bytes += chunk.length;
    if (this.bytes > this.max) { this.overflow = true; this.first = undefined; this.rest = undefined; this.times = undefined; return; }
    if (this.first === undefined) this.first = chunk;
    else (this.rest ??= []).push(chunk);
    this.times?.push(performance.now() - (this.since as number));
  }
  private chunks(): Buffer[] {
    return this.first === undefined ? [] : [this.first, ...(this.rest ?? [])];
  }
  timed(): { bytes: Buffer; atMs: number }[] | undefined {
    const t = this.times;
    return t && this.chunks().map((bytes, i) => ({ bytes, atMs: t[i] as number }));
  }
  buffer(): Buffer {
    if (this.first === undefined) return Buffer.alloc(0);
    return this.rest === undefined ? this.first : Buffer.concat(this.chunks(), this.bytes);
  }
}

interface Series { duration: { observe(v: number): void }; requests: { inc(): void } }

/** What every exchange of one proxy shares. */
interface Shared {
  readonly agent: Agent;
  readonly origin: string;
  readonly basePath: string;
  readonly authorization: string | undefined;
  readonly redacted: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly codec: Codec;
  readonly engine: MonitorEngine;
  readonly logger: Logger;
  readonly observer: ProxyObserver;
  series(route: string, method: string, code: string): Series;
}

const EXCHANGE = Symbol('vigil.exchange');
type Carrier = { [EXCHANGE]?: Exchange };

/**
 * One forwarded request: undici's dispatch handler for the upstream side (no promise, no response
 * stream, no AbortController), listener target for the client side. Everything it needs is on the
 * instance, so an exchange allocates this object, its header array and — when observed — the body
 * copies, and nothing per chunk beyond the copy's list entry.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private abortUpstream: ((err?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private status = 0;
  private responseHeaderList: string[] = [];
  private firstByteMs = 0;
  private done = false;
  private timedOut = false;
  private readonly reqCopy: Capture | undefined;
  private readonly resCopy: Capture | undefined;

  constructor(private readonly s: Shared, private readonly req: IncomingMessage, private readonly res: ServerResponse, private readonly method: string, private readonly path: string, private readonly route: string, private readonly started: number) {
    const observed = route !== 'other';
    this.reqCopy = observed ? new Capture(s.maxBytes) : undefined;
    this.resCopy = observed ? new Capture(s.maxBytes, s.codec.timesChunks ? started : undefined) : undefined;
    this.timer = setTimeout(onTimeout, s.timeoutMs, this);
    (res as Carrier)[EXCHANGE] = this;
    res.once('close', onClientClose);
  }

  start(url: string): void {
    const { req, method } = this;
    const headers = forwardHeaders(req.rawHeaders, this.s.authorization);
    const hasBody = method !== 'GET' && method !== 'HEAD' || announcesBody(req.rawHeaders);
    if (hasBody && this.reqCopy) {
      // Paused so that no chunk flows before undici listens too; undici resumes the body when it sends it.
      req.pause();
      (req as Carrier)[EXCHANGE] = this;
      req.on('data', onRequestChunk);
    }
    this.s.agent.dispatch({ origin: this.s.origin, path: this.s.basePath + url, method: method as 'POST', headers, body: hasBody ? req : null }, this);
  }

  copyRequest(chunk: Buffer): void { this.reqCopy?.add(chunk); }

  // undici's handler (the callback form: one object per exchange, no controller or parsed-header object).
  onConnect(abort: (err?: Error) => void): void {
    if (this.done) abort(new Error('exchange already over'));
    else this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void): boolean {
    if (this.done) return false;
    if (statusCode < 200) return true; // informational: the final answer follows
    this.status = statusCode;
    this.resumeUpstream = resume;
    const list = this.responseHeaderList;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = (raw[i] as Buffer).toString('latin1');
      if (!HOP_BY_HOP.has(name.toLowerCase())) list.push(name, (raw[i + 1] as Buffer).toString('latin1'));
    }
    this.res.writeHead(statusCode, list);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.done) return false;
    if (this.firstByteMs === 0) this.firstByteMs = performance.now() - this.started;
    this.resCopy?.add(chunk);
    if (this.res.write(chunk)) return true;
    this.res.once('drain', onClientDrain);
    return false; // undici pauses until resumeUpstream
  }

  onComplete(): void {
    if (this.done) return;
    this.res.end();
    this.finish(String(this.status));
  }

  onError(err: Error): void {
    if (this.done) return;
    const code = this.timedOut ? 'timeout' : 'error';
    if (!this.res.headersSent) this.reply(err, code);
    else this.res.destroy();
    this.finish(code);
  }

  timeout(): void {
    if (this.done) return;
    this.timedOut = true;
    const err = new Error('upstream timeout');
    if (this.abortUpstream) this.abortUpstream(err); // → onError
    else this.onError(err); // still queued for a connection: answer now; onConnect aborts it later
  }

  clientClosed(): void {
    if (this.done) return;
    // The client went away: stop the upstream exchange too (not an upstream failure: no log line).
    this.finish('error');
    this.abortUpstream?.(new Error('client closed the connection'));
  }

  resume(): void { this.resumeUpstream?.(); }

  private reply(err: unknown, code: 'timeout' | 'error'): void {
    const { s, res, path } = this;
    const errCode = (err as NodeJS.ErrnoException).code;
    const reason = redactUrls(typeof errCode === 'string' ? errCode : String((err as Error).message));
    s.logger.warn({ upstream: s.redacted, path, reason, code }, 'upstream request failed');
    const e: VigilError = code === 'timeout'
      ? monitorErrors.VIGIL_MONITOR_UPSTREAM_TIMEOUT({ upstream: s.redacted, timeoutMs: s.timeoutMs })
      : monitorErrors.VIGIL_MONITOR_UPSTREAM_ERROR({ upstream: s.redacted, reason });
    const body = JSON.stringify(e.toReply());
    res.writeHead(e.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private finish(code: string): void {
    this.done = true;
    clearTimeout(this.timer);
    const { s, status, reqCopy, resCopy } = this;
    const ms = performance.now() - this.started;
    const series = s.series(this.route, this.method, code);
    series.duration.observe(ms / 1000);
    series.requests.inc();
    s.engine.traffic.recordRequest(ms);
    if (!reqCopy || !resCopy || code !== String(status) || status < 200 || status >= 300) return;
    if (reqCopy.overflow || resCopy.overflow) { s.observer.tooLarge(); return; }
    const chunks = resCopy.timed();
    s.observer.push({
      method: this.method, path: this.path, requestHeaders: this.req.headers, requestBody: reqCopy.buffer(), status,
      responseHeaders: headerObject(this.responseHeaderList), responseBody: resCopy.buffer(), firstByteMs: this.firstByteMs, durationMs: ms,
      ...(chunks ? { responseChunks: chunks } : {}),
    });
  }
}

// Listeners shared by every exchange (`this` is the emitter; the exchange rides on it), so no closure per request.
function onTimeout(ex: Exchange): void { ex.timeout(); }
function onClientClose(this: ServerResponse): void { (this as Carrier)[EXCHANGE]?.clientClosed(); }
function onClientDrain(this: ServerResponse): void { (this as Carrier)[EXCHANGE]?.resume(); }
function onRequestChunk(this: IncomingMessage, chunk: Buffer): void { (this as Carrier)[EXCHANGE]?.copyRequest(chunk); }

/**
 * Shadow-mode proxy on node:http + undici's dispatcher (no express on this path). The request is
 * forwarded as it arrives (method, path, query, headers, body bytes — content-encoding untouched) and
 * the upstream's status, headers and body are streamed back chunk by chunk, so server-sent events
 * reach the client when the upstream writes them. On routes the codec observes, a copy of each body
 * up to `proxy.observeMaxBytes` is kept and read after the reply (batched, see ProxyObserver).
 * `--upstream-timeout` bounds the whole exchange: before the answer's head → 504, after → the reply is cut.
 * Credentials in the upstream URL are sent as Basic auth (unless the client sent its own
 * Authorization) and never appear in a reply or a log.
 */
export function createProxy(config: MonitorConfig, engine: MonitorEngine, metrics: MonitorMetrics, logger: Logger, reserved: (path: string) => boolean): Proxy {
  const { origin, basePath, authorization, redacted } = splitUpstream(config.upstream ?? '');
  const timeoutMs = config.upstreamTimeout;
  const agent = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 10_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000) });
  const codec = codecFor(config.proxy);
  const model = config.modelLabel;
  const observer = new ProxyObserver(codec, engine, metrics, model, logger, config.proxy.observeMaxBytes);

  // The metric children of each (route, method, code), so an exchange neither hashes its labels nor builds a key.
  const children = new Map<string, Map<string, Map<string, Series>>>();
  function series(route: string, method: string, code: string): Series {
    let byMethod = children.get(route);
    if (!byMethod) children.set(route, byMethod = new Map());
    let byCode = byMethod.get(method);
    if (!byCode) byMethod.set(method, byCode = new Map());
    let s = byCode.get(code);
    if (!s) {
      const labels = { model, route, method, code };
      s = { duration: metrics.upstreamDuration.labels(labels), requests: metrics.upstreamRequests.labels(labels) };
      byCode.set(code, s);
    }
    return s;
  }
  const shared: Shared = { agent, origin, basePath, authorization, redacted, timeoutMs, maxBytes: config.proxy.observeMaxBytes, codec, engine, logger, observer, series };

  function claims(req: IncomingMessage): boolean {
    const path = pathOf(req.url);
    return !reserved(path) && codec.forwards(req.method ?? 'GET', path);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = pathOf(url);
    const route = codec.observes(method, path) ? codec.route(path) : 'other';
    new Exchange(shared, req, res, method, path, route, started).start(url);
  }

  return {
    codec, claims, handle,
    async close() {
      observer.close();
      await agent.close();
    },
  };
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Whether raw request headers announce a body (content-length or transfer-encoding), for a GET or HEAD. */
function announcesBody(raw: readonly string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const lower = (raw[i] as string).toLowerCase();
    if (lower === 'content-length' || lower === 'transfer-encoding') return true;
  }
  return false;
}

/**
 * The client's headers as a flat [name, value, …] list (original case, repeats kept), hop-by-hop ones
 * dropped — read from rawHeaders, so node:http never builds the request's header object for an exchange
 * that is not observed.
 */
function forwardHeaders(raw: readonly string[], authorization: string | undefined): string[] {
  const out: string[] = [];
  let hasAuthorization = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (REQUEST_ONLY_HOP.has(lower)) continue;
    if (lower === 'authorization') hasAuthorization = true;
    out.push(name, raw[i + 1] as string);
  }
  if (authorization !== undefined && !hasAuthorization) out.push('authorization', authorization);
  return out;
}

/** A flat header list as an object with lower-case names (repeated names → arrays), for the observer. */
function headerObject(list: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = (list[i] as string).toLowerCase();
    const value = list[i + 1] as string;
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
