import type { IncomingHttpHeaders } from 'node:http';
import type { ObservationShape, Observations } from './json.ts';

/** The wire formats the proxy reads (`--protocol`, config `proxy.protocol`). */
export const PROTOCOLS = ['json', 'kserve-v2', 'tfserving', 'openai'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

/** One proxied exchange as the observer sees it, after the reply went out. Bodies are decoded (no content-encoding). */
export interface Exchange {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly requestHeaders: IncomingHttpHeaders;
  readonly requestBody: Buffer;
  readonly status: number;
  readonly responseHeaders: Readonly<Record<string, string | string[] | undefined>>;
  readonly responseBody: Buffer;
  /** ms from the request's arrival to the first response body byte, and to its end. */
  readonly firstByteMs: number;
  readonly durationMs: number;
  /**
   * The answer as it arrived: its chunks and when each came (ms from the request's arrival). Kept
   * only for codecs that time events (`timesChunks`) and only when the body was not content-encoded.
   */
  readonly responseChunks?: readonly { readonly bytes: Buffer; readonly atMs: number }[];
}

/**
 * A wire format: which paths belong to the upstream (forwarded; everything else is the monitor's own
 * API), which of those carry model inputs and outputs (observed), and how to read rows out of an
 * exchange. `decode` is pure and throws a coded error saying why an exchange is not observable.
 */
export interface Codec {
  readonly name: ProtocolName;
  /** The `route` label of an observed exchange (a fixed path or a template: bounded cardinality). */
  route(path: string): string;
  /** Whether `decode` needs `responseChunks` (when each part of a streamed answer arrived). */
  readonly timesChunks?: boolean;
  /** Paths forwarded to the upstream. */
  forwards(method: string, path: string): boolean;
  /** Forwarded exchanges whose bodies are read (the copy is kept up to --observe-max-bytes). */
  observes(method: string, path: string): boolean;
  /** request → input rows (feature order of the reference set); response → output rows (when a model is loaded). */
  decode(exchange: Exchange, shape: ObservationShape): Observations;
}
