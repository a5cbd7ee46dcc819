/**
 * Resolves each request of a source once, before the run: its pool (origin), path, headers,
 * body, endpoint statistics and request size, so the hot path only indexes an array.
 */
import type { HttpClient, SendSpec } from './client.ts';
import type { EndpointStats, Recorder } from './recorder.ts';
import type { TrafficSource } from './sources/source.ts';

export interface Plan extends SendSpec {
  endpoint: EndpointStats;
  /** Request line + headers as given + body, bytes (undici's own default headers not counted). */
  bytesOut: number;
}

export function buildPlans(source: TrafficSource, target: string, client: HttpClient, recorder: Recorder): Plan[] {
  const base = target === '' ? undefined : new URL(target);
  const prefix = base ? base.pathname.replace(/\/$/, '') : '';
  const plans: Plan[] = [];
  for (let i = 0; i < source.size; i++) {
    const r = source.at(i);
    const absolute = /^https?:\/\//i.test(r.url);
    const url = absolute ? new URL(r.url) : new URL(prefix + r.url, (base as URL).origin);
    const path = url.pathname + url.search;
    const headerBytes = Object.entries(r.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    plans.push({
      pool: client.pool(url.origin),
      origin: url.origin,
      path,
      method: r.method,
      headers: r.headers,
      body: r.body,
      endpoint: recorder.endpoint(r.endpoint),
      bytesOut: r.method.length + path.length + 11 + headerBytes + 2 + (r.body?.length ?? 0),
    });
  }
  return plans;
}
