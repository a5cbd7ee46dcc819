/**
 * Error classes of a request outcome. HTTP statuses map to http4xx/http5xx; transport errors map
 * by their code (undici's `UND_ERR_*` and Node's errno codes). Connect timeouts count as `connect`
 * (the target could not be reached), header/body timeouts and `--deadline` as `timeout`. An LLM
 * stream that failed once its headers had arrived (an error event, no [DONE], a cut connection)
 * is `stream`. A TLS failure (untrusted certificate, client certificate required) is `connect`
 * whatever wraps it (tls-failure.ts), described with its code and the flag to give.
 */
import type { ErrorClass } from './result.ts';
import type { LlmObservation } from './stream/meter.ts';
import { tlsFailureOf } from './tls-failure.ts';

/** The class of a whole outcome, or undefined for a success. */
export function classifyOutcome(o: { status: number | string | undefined; error: Error | undefined; llm: LlmObservation | undefined }): ErrorClass | undefined {
  if (o.error) {
    const c = classifyError(o.error);
    return o.llm?.streamed === true && c !== 'timeout' ? 'stream' : c;
  }
  if (typeof o.status === 'string') return o.status === 'OK' ? undefined : classifyGrpcStatus(o.status);
  return classifyStatus(o.status as number) ?? (o.llm?.error !== undefined ? 'stream' : undefined);
}

const BY_CODE: Record<string, ErrorClass> = {
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  VIGIL_DEADLINE_EXCEEDED: 'timeout',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  ECONNREFUSED: 'connect',
  ENOTFOUND: 'connect',
  EAI_AGAIN: 'connect',
  EHOSTUNREACH: 'connect',
  ENETUNREACH: 'connect',
  EHOSTDOWN: 'connect',
  EADDRNOTAVAIL: 'connect',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  // node:http2 (the --http2 client): a stream reset by the server, a GOAWAY, a broken session.
  VIGIL_CONNECT_TIMEOUT: 'connect',
  ERR_HTTP2_STREAM_ERROR: 'reset',
  ERR_HTTP2_STREAM_CANCEL: 'reset',
  ERR_HTTP2_GOAWAY_SESSION: 'reset',
  ERR_HTTP2_SESSION_ERROR: 'reset',
  ERR_HTTP2_ERROR: 'reset',
  ERR_HTTP2_INVALID_SESSION: 'reset',
};

/** A gRPC status other than OK: DEADLINE_EXCEEDED is a timeout like any other; the rest are `grpc`. */
export function classifyGrpcStatus(name: string): ErrorClass {
  return name === 'DEADLINE_EXCEEDED' ? 'timeout' : 'grpc';
}

export function classifyStatus(status: number): ErrorClass | undefined {
  if (status >= 500) return 'http5xx';
  if (status >= 400) return 'http4xx';
  return undefined;
}

/** Class of a transport error; looks through `cause` chains (undici wraps socket errors). */
export function classifyError(err: unknown): ErrorClass {
  if (tlsFailureOf(err)) return 'connect';
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in BY_CODE) {
      // undici reports "other side closed" as UND_ERR_SOCKET; a refused connect can be wrapped too.
      const inner = classifyCause((e as { cause?: unknown }).cause);
      return inner ?? (BY_CODE[code] as ErrorClass);
    }
    e = (e as { cause?: unknown }).cause;
  }
  return 'other';
}

function classifyCause(cause: unknown): ErrorClass | undefined {
  const code = cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? BY_CODE[code] : undefined;
}

/**
 * A short human cause of a failed outcome, for "the first cause of each error class": the
 * innermost error code and message (`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1`,
 * `ENOTFOUND: getaddrinfo ENOTFOUND host.invalid`), or `HTTP 503`.
 */
export function describeCause(o: { status: number | string | undefined; error: Error | undefined }): string {
  if (!o.error) return typeof o.status === 'string' ? `gRPC ${o.status}` : `HTTP ${String(o.status)}`;
  const tls = tlsFailureOf(o.error);
  if (tls) return `TLS ${tls.code}: ${tls.message} — ${tls.hint}`;
  let e: unknown = o.error;
  let best = { code: undefined as string | undefined, message: o.error.message };
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    if (typeof code === 'string') best = { code, message: typeof message === 'string' && message ? message : best.message };
    e = (e as { cause?: unknown }).cause;
  }
  const text = best.message.length > 200 ? `${best.message.slice(0, 200)}…` : best.message;
  return best.code && !text.includes(best.code) ? `${best.code}: ${text}` : text || (best.code ?? 'unknown error');
}
