/**
 * gRPC unary calls with @grpc/grpc-js. Messages are encoded before the run (grpc-source.ts), so a
 * call passes bytes through (identity serializers) and keeps the answer's bytes unparsed: the hot
 * path costs what grpc-js costs. Per origin `channels` channels, each on its own HTTP/2 connection
 * (a local subchannel pool: grpc-js would otherwise share one connection among equal channels),
 * picked round-robin; grpc-js multiplexes the calls of a channel as streams.
 *
 * `--timeout` is the call's deadline (from when the call starts), `--deadline` its deadline from
 * the intended start; the earlier wins. A call's status is its outcome: `OK`, or the status name
 * (`UNAVAILABLE`, `RESOURCE_EXHAUSTED`...), an error of class `grpc` (DEADLINE_EXCEEDED: `timeout`).
 * A call that never reached the server (connection refused, DNS, a failed TLS handshake) is class `connect`.
 */
import { Client, credentials, Metadata, status as grpcStatus, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { performance } from 'node:perf_hooks';
import { DeadlineExceeded, type Outcome, type SendSpec } from '../client.ts';
import type { Deadline, LoadTransport, WireProtocol } from '../transport.ts';
import { tlsError, tlsFailureInText } from '../tls-failure.ts';

const STATUS_NAMES = new Map<number, string>(Object.entries(grpcStatus).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v as number, k]));

/** grpc-js words for "the connection could not be made", from the details of UNAVAILABLE. */
const NOT_CONNECTED = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|No connection established|Failed to connect/i;

export interface GrpcTlsOptions { ca?: Buffer; key?: Buffer; cert?: Buffer; insecure?: boolean }

const identity = (b: Buffer): Buffer => b;

export class GrpcTransport implements LoadTransport {
  private readonly clients = new Map<string, { list: Client[]; next: number }>();
  private readonly metadata = new WeakMap<SendSpec, Metadata>();

  constructor(private readonly channels: number, private readonly timeoutMs: number, private readonly tls: GrpcTlsOptions = {}) {}

  protocolFor(origin: string): WireProtocol {
    return origin.startsWith('grpcs:') ? 'grpcs' : 'grpc';
  }

  send(spec: SendSpec, done: (o: Outcome) => void, _slot: number | undefined, deadline: Deadline | undefined): void {
    const client = this.client(spec.origin);
    let md = this.metadata.get(spec);
    if (!md) {
      md = new Metadata();
      for (const [k, v] of Object.entries(spec.headers)) md.set(k, k.endsWith('-bin') ? Buffer.from(v, 'base64') : v);
      this.metadata.set(spec, md);
    }
    const now = performance.now();
    const untilMs = deadline ? Math.min(this.timeoutMs, deadline.at - now) : this.timeoutMs;
    const sentAt = now;
    // grpc-js captures a stack trace (`new Error()`) per call to decorate a failed call's error; vigil
    // reads only the status and details, so the capture is skipped (measured in BENCHMARKS.md).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      client.makeUnaryRequest<Buffer, Buffer>(spec.path, identity, identity, spec.body as Buffer, md.clone(), { deadline: Date.now() + Math.max(0, untilMs) }, (err, value) => {
        if (!err) { done({ status: 'OK', error: undefined, bytesIn: value?.length ?? 0, sentAt, llm: undefined }); return; }
        done(outcomeOf(err, sentAt, deadline !== undefined && deadline.at - now < this.timeoutMs ? deadline.ms : undefined));
      });
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  private client(origin: string): Client {
    let c = this.clients.get(origin);
    if (!c) {
      const address = origin.replace(/^grpcs?:\/\//, '');
      const creds = this.credentials(origin.startsWith('grpcs:'));
      const list = Array.from({ length: this.channels }, () => new Client(address, creds, {
        'grpc.use_local_subchannel_pool': 1,
        // channelz (grpc-js's introspection service, on by default) stamps every call with a new
        // Date and counts it per channel, subchannel and socket: CPU and garbage on the hot path
        // that a load generator never reads.
        'grpc.enable_channelz': 0,
        'grpc.max_receive_message_length': -1,
        'grpc.max_send_message_length': -1,
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 1000,
      }));
      c = { list, next: 0 };
      this.clients.set(origin, c);
    }
    const client = c.list[c.next] as Client;
    c.next = (c.next + 1) % c.list.length;
    return client;
  }

  private credentials(secure: boolean): ChannelCredentials {
    if (!secure) return credentials.createInsecure();
    const t = this.tls;
    return credentials.createSsl(t.ca ?? null, t.key ?? null, t.cert ?? null, t.insecure ? { checkServerIdentity: () => undefined, rejectUnauthorized: false } : undefined);
  }

  async destroy(): Promise<void> {
    for (const c of this.clients.values()) for (const client of c.list) client.close();
    this.clients.clear();
  }
}

function outcomeOf(err: ServiceError, sentAt: number, deadlineMs: number | undefined): Outcome {
  const name = STATUS_NAMES.get(err.code) ?? `CODE_${err.code}`;
  const tls = err.code === grpcStatus.UNAVAILABLE ? tlsFailureInText(err.details ?? '') : undefined;
  if (tls) return { status: undefined, error: tlsError(tls), bytesIn: 0, sentAt: undefined, llm: undefined };
  if (err.code === grpcStatus.UNAVAILABLE && NOT_CONNECTED.test(err.details ?? '')) {
    const code = /ENOTFOUND|EAI_AGAIN/.exec(err.details ?? '')?.[0] ?? 'ECONNREFUSED';
    return { status: undefined, error: Object.assign(new Error(err.details), { code }), bytesIn: 0, sentAt: undefined, llm: undefined };
  }
  // A passed deadline is a timeout as over HTTP: no latency, class `timeout` (--deadline's own error when it was the earlier).
  if (err.code === grpcStatus.DEADLINE_EXCEEDED) {
    const error = deadlineMs !== undefined ? new DeadlineExceeded(deadlineMs) : Object.assign(new Error(`DEADLINE_EXCEEDED: ${err.details}`), { code: 'ETIMEDOUT' });
    return { status: undefined, error, bytesIn: 0, sentAt, llm: undefined };
  }
  return { status: name, error: undefined, bytesIn: 0, sentAt, llm: undefined };
}
