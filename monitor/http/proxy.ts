import type { Request, RequestHandler } from 'express';
import { Agent, errors as undiciErrors, request } from 'undici';
import type { Logger } from 'pino';
import type { MonitorConfig } from '../config.ts';
import type { MonitorEngine } from '../engine.ts';
import { monitorErrors } from '../errors.ts';
import { sendError } from './replies.ts';
import type { MonitorMetrics } from '../metrics.ts';
import { getPath, parseInputRows, parseNumberRows, type Observations } from '../protocols/json.ts';
import { isVigilError } from '../../common/errors.ts';
import { redactUrl } from '../../load/redact.ts';

/** Hop-by-hop headers (RFC 9110 §7.6.1) are for one connection and are not forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'host', 'content-length']);

export interface Proxy {
  handler: RequestHandler;
  close(): Promise<void>;
}

/**
 * Shadow-mode proxy: forwards the request to the upstream unchanged (method, path, query,
 * headers, body), answers with the upstream's status, headers and body unchanged, records RED
 * metrics, and only then — off the request path — parses inputs/outputs and observes them.
 * Upstream connection errors become 502, timeouts 504, each with a coded JSON body.
 */
export function createProxy(config: MonitorConfig, engine: MonitorEngine, metrics: MonitorMetrics, logger: Logger): Proxy {
  // user:password@ in --upstream is sent as Basic authorization and never printed (`shown`).
  const { base: upstream, shown, authorization } = upstreamTarget(config.upstream ?? '');
  const timeoutMs = config.upstreamTimeout;
  const agent = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 10_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000) });
  const model = config.modelLabel;
  const route = config.proxy.path;

  const handler: RequestHandler = async (req, res) => {
    const started = performance.now();
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let code = 'error';
    try {
      const upstreamRes = await request(upstream + req.originalUrl, {
        method: req.method as 'POST',
        headers: forwardHeaders(req, authorization),
        body: body.length > 0 || !['GET', 'HEAD'].includes(req.method) ? body : null,
        dispatcher: agent,
      });
      const responseBody = Buffer.from(await upstreamRes.body.arrayBuffer());
      code = String(upstreamRes.statusCode);
      res.status(upstreamRes.statusCode);
      for (const [name, value] of Object.entries(upstreamRes.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) res.setHeader(name, value);
      }
      res.end(responseBody);
      if (upstreamRes.statusCode >= 200 && upstreamRes.statusCode < 300) setImmediate(() => observeExchange(body, responseBody));
    } catch (err) {
      const timedOut = err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError || err instanceof undiciErrors.ConnectTimeoutError;
      code = timedOut ? 'timeout' : 'error';
      logger.warn({ upstream: shown, path: req.path, reason: (err as Error).message, code }, 'upstream request failed');
      if (res.headersSent) res.destroy();
      else sendError(res, timedOut
        ? monitorErrors.VIGIL_MONITOR_UPSTREAM_TIMEOUT({ upstream: shown, timeoutMs })
        : monitorErrors.VIGIL_MONITOR_UPSTREAM_ERROR({ upstream: shown, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const labels = { model, route, method: req.method, code };
      metrics.upstreamDuration.observe(labels, seconds);
      metrics.upstreamRequests.inc(labels);
      engine.traffic.recordRequest(seconds * 1000);
    }
  };

  /** Runs after the reply is sent: a body we cannot read is counted, never an error to the client. */
  function observeExchange(requestBody: Buffer, responseBody: Buffer): void {
    let obs: Observations;
    try {
      obs = extract(requestBody, responseBody);
    } catch (err) {
      const codeOf = isVigilError(err) ? err.code : 'VIGIL_MONITOR_BAD_JSON';
      engine.noteRejected(codeOf, 'proxy');
      logger.debug({ code: codeOf, reason: (err as Error).message }, 'proxied exchange not observed');
      return;
    }
    engine.observe(obs, 'proxy').catch((err: unknown) => {
      if (!isVigilError(err)) engine.noteRejected('VIGIL_MONITOR_INTERNAL', 'proxy'); // coded refusals are counted by the engine
      logger.warn({ reason: (err as Error).message }, 'observing a proxied exchange failed');
    });
  }

  function extract(requestBody: Buffer, responseBody: Buffer): Observations {
    const reqJson = parseJson(requestBody);
    const inputs = parseInputRows(getPath(reqJson, config.proxy.inputs), config.proxy.inputs, engine.shape.features);
    const outputDim = engine.shape.outputDim;
    if (outputDim === undefined) return { inputs };
    const rawOut = getPath(parseJson(responseBody), config.proxy.outputs);
    if (rawOut === undefined) return { inputs };
    const outputs = parseNumberRows(rawOut, config.proxy.outputs, outputDim, 'reference model output');
    if (outputs.rows !== inputs.rows) throw monitorErrors.VIGIL_MONITOR_ROW_COUNT_MISMATCH({ field: config.proxy.outputs, actual: outputs.rows, expected: inputs.rows });
    return { inputs, outputs };
  }

  // Called after the server has drained: whatever is still pending upstream has no client left to answer.
  return { handler, close: () => agent.destroy() };
}

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw monitorErrors.VIGIL_MONITOR_BAD_JSON({ reason: (err as Error).message });
  }
}

function forwardHeaders(req: Request, authorization: string | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  if (authorization !== undefined && out.authorization === undefined) out.authorization = authorization;
  return out;
}

/**
 * The upstream base URL without userinfo (undici would silently drop it), the userinfo as a Basic
 * authorization for requests that carry none of their own, and the URL as it may be printed.
 */
export function upstreamTarget(url: string): { base: string; shown: string; authorization: string | undefined } {
  const target = new URL(url);
  const user = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  const authorization = user || password ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` : undefined;
  target.username = '';
  target.password = '';
  return { base: target.href.replace(/\/$/, ''), shown: redactUrl(url).replace(/\/$/, ''), authorization };
}
