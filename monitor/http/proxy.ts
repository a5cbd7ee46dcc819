import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent } from 'undici';
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

export interface Proxy {
  readonly codec: Codec;
  /** Whether a request is the upstream's (forwarded) rather than one of the monitor's own routes. */
  claims(req: IncomingMessage): boolean;
  /** Forwards one request, streaming both bodies; never throws. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/** A copy of a body for observation, dropped as soon as it passes `max` bytes. */
class Capture {
  chunks: Buffer[] = [];
  /** When each chunk arrived (ms from `since`), for codecs that time a stream's events. */
  times: number[] | undefined;
  bytes = 0;
  overflow = false;
  constructor(private readonly max: number, private readonly since?: number) {
    if (since !== undefined) this.times = [];
  }
  add(chunk: Buffer): void {
    if (this.overflow) return;
    this.bytes += chunk.length;
    if (this.bytes > this.max) { this.overflow = true; this.chunks = []; this.times = undefined; return; }
    this.chunks.push(chunk);
    this.times?.push(performance.now() - (this.since as number));
  }
  timed(): { bytes: Buffer; atMs: number }[] | undefined {
    const t = this.times;
    return t && this.chunks.map((bytes, i) => ({ bytes, atMs: t[i] as number }));
  }
  buffer(): Buffer { return this.chunks.length === 1 ? this.chunks[0] as Buffer : Buffer.concat(this.chunks); }
}

/**
 * Shadow-mode proxy on node:http + undici (no express on this path). The request is forwarded as it
 * arrives (method, path, query, headers, body bytes — content-encoding untouched) and the upstream's
 * status, headers and body are streamed back chunk by chunk, so server-sent events reach the client
 * when the upstream writes them. On routes the codec observes, a copy of each body up to
 * `proxy.observeMaxBytes` is kept and read after the reply (batched, see ProxyObserver).
 * `--upstream-timeout` bounds the whole exchange: before the answer's head → 504, after → the reply is cut.
 * Credentials in the upstream URL are sent as Basic auth (unless the client sent its own
 * Authorization) and never appear in a reply or a log.
 */
export function createProxy(config: MonitorConfig, engine: MonitorEngine, metrics: MonitorMetrics, logger: Logger, reserved: (path: string) => boolean): Proxy {
  const { origin, basePath, authorization, redacted } = splitUpstream(config.upstream ?? '');
  const timeoutMs = config.upstreamTimeout;
  const maxBytes = config.proxy.observeMaxBytes;
  const agent = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 10_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000) });
  const codec = codecFor(config.proxy);
  const model = config.modelLabel;
  const observer = new ProxyObserver(codec, engine, metrics, model, logger, maxBytes);

  // The metric children of each (route, method, code), so an exchange does not hash its labels twice.
  const children = new Map<string, { duration: { observe(v: number): void }; requests: { inc(): void } }>();
  function seriesOf(route: string, method: string, code: string) {
    const key = `${route} ${method} ${code}`;
    let s = children.get(key);
    if (!s) {
      const labels = { model, route, method, code };
      s = { duration: metrics.upstreamDuration.labels(labels), requests: metrics.upstreamRequests.labels(labels) };
      children.set(key, s);
    }
    return s;
  }

  function claims(req: IncomingMessage): boolean {
    const path = pathOf(req.url);
    return !reserved(path) && codec.forwards(req.method ?? 'GET', path);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = pathOf(url);
    const observed = codec.observes(method, path);
    const reqCopy = observed ? new Capture(maxBytes) : undefined;
    const resCopy = observed ? new Capture(maxBytes, codec.timesChunks ? started : undefined) : undefined;
    const route = observed ? codec.route(path) : 'other';
    const ac = new AbortController();
    let outcome: 'ok' | 'timeout' | 'error' = 'ok';
    let status = 0;
    let firstByteMs = 0;
    let done = false;
    const timer = setTimeout(() => { outcome = 'timeout'; ac.abort(); if (res.headersSent) res.destroy(); }, timeoutMs);

    const finish = (code: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const ms = performance.now() - started;
      const series = seriesOf(route, method, code);
      series.duration.observe(ms / 1000);
      series.requests.inc();
      engine.traffic.recordRequest(ms);
      if (code !== String(status) || !reqCopy || !resCopy || status < 200 || status >= 300) return;
      if (reqCopy.overflow || resCopy.overflow) { observer.tooLarge(); return; }
      const chunks = resCopy.timed();
      observer.push({ method, path, requestHeaders: req.headers, requestBody: reqCopy.buffer(), status, responseHeaders: headersOf, responseBody: resCopy.buffer(), firstByteMs, durationMs: ms, ...(chunks ? { responseChunks: chunks } : {}) });
    };
    let headersOf: Record<string, string | string[] | undefined> = {};

    const fail = (err: unknown): void => {
      const code = outcome === 'timeout' ? 'timeout' : 'error';
      if (!res.headersSent) {
        const errCode = (err as NodeJS.ErrnoException).code;
        const reason = redactUrls(typeof errCode === 'string' ? errCode : String((err as Error).message));
        logger.warn({ upstream: redacted, path, reason, code }, 'upstream request failed');
        const e: VigilError = code === 'timeout'
          ? monitorErrors.VIGIL_MONITOR_UPSTREAM_TIMEOUT({ upstream: redacted, timeoutMs })
          : monitorErrors.VIGIL_MONITOR_UPSTREAM_ERROR({ upstream: redacted, reason });
        const body = JSON.stringify(e.toReply());
        res.writeHead(e.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      } else {
        res.destroy();
      }
      finish(code);
    };

    const hasBody = method !== 'GET' && method !== 'HEAD' || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    // undici takes an async iterable body (its types only list Readable).
    const body = !hasBody ? null : reqCopy ? tee(req, reqCopy) as unknown as Readable : req;
    agent.request({ origin, path: basePath + url, method: method as 'POST', headers: forwardHeaders(req.headers, authorization), body, signal: ac.signal }).then((up) => {
      status = up.statusCode;
      headersOf = up.headers;
      res.writeHead(up.statusCode, responseHeaders(up.headers));
      const source = up.body;
      source.on('data', (chunk: Buffer) => {
        if (firstByteMs === 0) firstByteMs = performance.now() - started;
        resCopy?.add(chunk);
        if (!res.write(chunk)) {
          source.pause();
          res.once('drain', () => source.resume());
        }
      });
      source.once('end', () => { res.end(); finish(String(status)); });
      source.once('error', fail);
      res.once('close', () => { if (!done) source.destroy(); });
    }, fail);
    // The client went away (or the timeout cut the reply): stop the upstream exchange too.
    res.once('close', () => { if (!done) { ac.abort(); finish(outcome === 'timeout' ? 'timeout' : 'error'); } });
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

/** The request body as it arrives, copied into `copy` on the way. */
async function* tee(req: IncomingMessage, copy: Capture): AsyncGenerator<Buffer> {
  for await (const chunk of req) {
    copy.add(chunk as Buffer);
    yield chunk as Buffer;
  }
}

function forwardHeaders(headers: IncomingHttpHeaders, authorization: string | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  if (authorization !== undefined && out.authorization === undefined) out.authorization = authorization;
  return out;
}

function responseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}
