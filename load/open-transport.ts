/**
 * Picks the transport of a run from its options: HTTP/1.1 (undici) by default, HTTP/2 with
 * `--http2`. Connection counts: HTTP/1.1 open models keep `--max-connections` (default 256) per
 * origin and the closed model one per loop; HTTP/2 multiplexes, so it opens `--max-connections`
 * sessions (default: 1 for open models, enough for the loops at `--max-streams` each for the closed one).
 * A grpc:// or grpcs:// target is driven by gRPC over `--max-connections` channels (default 1).
 * The TLS options (`--insecure`, `--ca`, `--cert`/`--key`) apply to all three: https:// over HTTP/1.1
 * or h2, and grpcs://.
 */
import { HttpClient } from './client.ts';
import { Http2Client } from './http2-client.ts';
import { DEFAULTS, type LoadOptions } from './options.ts';
import type { LoadTransport } from './transport.ts';
import { GrpcTransport } from './grpc/transport.ts';

export const isGrpcTarget = (target: string): boolean => /^grpcs?:\/\//i.test(target);

export function openTransport(o: LoadOptions): LoadTransport {
  const tls = o.tls ?? {};
  if (isGrpcTarget(o.target)) return new GrpcTransport(o.maxConnections ?? 1, o.timeoutMs, { ca: tls.ca, key: tls.key, cert: tls.cert, insecure: tls.rejectUnauthorized === false });
  if (o.http2) return new Http2Client({ maxSessions: connectionsPerOrigin(o), maxStreams: o.maxStreams ?? DEFAULTS.maxStreams, timeoutMs: o.timeoutMs, tls });
  return new HttpClient(connectionsPerOrigin(o), o.timeoutMs, o.tls);
}

/** Connections (HTTP/2: sessions) opened per origin at most. */
export function connectionsPerOrigin(o: LoadOptions): number {
  if (isGrpcTarget(o.target)) return o.maxConnections ?? 1;
  if (o.http2) return o.maxConnections ?? (o.model === 'closed' ? Math.ceil((o.connections ?? 1) / (o.maxStreams ?? DEFAULTS.maxStreams)) : 1);
  return o.model === 'closed' ? (o.connections ?? 1) : Math.min(o.maxConnections ?? DEFAULTS.maxConnections, o.maxInFlight);
}
