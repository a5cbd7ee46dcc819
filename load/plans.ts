/**
 * Resolves each request of a source once, before the run: its pool (origin), path, headers,
 * body, endpoint statistics and request size, so the hot path only indexes an array.
 */
import type { SendSpec } from './client.ts';
import type { LoadTransport } from './transport.ts';
import { loadErrors } from './errors.ts';
import { HEADER_NAME } from './sources/request-spec.ts';
import type { EndpointStats, Recorder } from './recorder.ts';
import type { TrafficSource } from './sources/source.ts';
import { isCompletionRequest } from './stream/meter.ts';

export interface Plan extends SendSpec {
  endpoint: EndpointStats;
  /** Request line + headers as given + body, bytes (undici's own default headers not counted). */
  bytesOut: number;
}

/** RFC 9110 §5.5: a field value never holds CR, LF or NUL (names: HEADER_NAME, §5.1). */
const FORBIDDEN_IN_VALUE = /[\r\n\0]/;

/** Every header of every request is checked before the run: undici would fail each such request, one by one. */
function checkHeaders(headers: Record<string, string>, index: number, endpoint: string): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw loadErrors.VIGIL_LOAD_BAD_REQUEST_HEADER({ index: index + 1, endpoint, name: JSON.stringify(name), rule: 'a header name is letters, digits and !#$%&\'*+.^_`|~- only' });
    if (FORBIDDEN_IN_VALUE.test(value)) throw loadErrors.VIGIL_LOAD_BAD_REQUEST_HEADER({ index: index + 1, endpoint, name: JSON.stringify(name), rule: `its value ${JSON.stringify(value)} holds a CR, LF or NUL character` });
  }
}

export function buildPlans(source: TrafficSource, target: string, transport: LoadTransport, recorder: Recorder): Plan[] {
  const base = target === '' ? undefined : new URL(target);
  const prefix = base ? base.pathname.replace(/\/$/, '') : '';
  const plans: Plan[] = [];
  for (let i = 0; i < source.size; i++) {
    const r = source.at(i);
    checkHeaders(r.headers, i, r.endpoint);
    const absolute = /^https?:\/\//i.test(r.url);
    // grpc:// URLs have no WHATWG origin ("null"): scheme + host is the key of their connections.
    const url = absolute ? new URL(r.url) : new URL(prefix + r.url, `${(base as URL).protocol}//${(base as URL).host}`);
    const path = url.pathname + url.search;
    const headerBytes = Object.entries(r.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    const endpoint = recorder.endpoint(r.endpoint);
    const origin = `${url.protocol}//${url.host}`;
    endpoint.protocol = transport.protocolFor(origin);
    plans.push({
      origin,
      path,
      method: r.method,
      headers: r.headers,
      body: r.body,
      expectsCompletion: isCompletionRequest(path, r.body),
      endpoint,
      bytesOut: r.method.length + path.length + 11 + headerBytes + 2 + (r.body?.length ?? 0),
    });
  }
  return plans;
}
