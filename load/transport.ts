/**
 * What the engine sends requests through: HTTP/1.1 (undici, client.ts), HTTP/2 (node:http2,
 * http2-client.ts) or gRPC (grpc/). The engine only schedules and records; a transport sends one
 * planned request and calls back exactly once with its Outcome.
 */
import type { Outcome, SendSpec } from './client.ts';

/** The protocol a transport speaks, recorded per endpoint in the result (`endpoints[k].protocol`). */
export type WireProtocol = 'http/1.1' | 'h2' | 'h2c' | 'grpc' | 'grpcs';

export interface Deadline {
  /** performance-clock ms at which the request completes as a timeout. */
  at: number;
  /** Its length, for the message. */
  ms: number;
}

export interface LoadTransport {
  protocolFor(origin: string): WireProtocol;
  /**
   * Sends `spec`; `slot` is the closed-model loop that sends it (HTTP/1.1 gives each loop its own
   * connection; multiplexing transports ignore it). `done` is called exactly once.
   */
  send(spec: SendSpec, done: (o: Outcome) => void, slot: number | undefined, deadline: Deadline | undefined): void;
  /** Aborts everything still in flight and closes the connections. */
  destroy(): Promise<void>;
}
