import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { MonitorEngine } from '../engine.ts';
import { monitorErrors } from '../errors.ts';
import { isRecord, parseJsonBody, type Observations } from '../protocols/json.ts';
import { decodeV2Exchange, type TensorCodecOptions } from '../protocols/kserve-v2.ts';
import { decodeTfExchange } from '../protocols/tfserving.ts';
import { isVigilError } from '../../common/errors.ts';

const REQUEST = 'org.kubeflow.serving.inference.request';
const RESPONSE = 'org.kubeflow.serving.inference.response';

/** One CloudEvent as the KServe InferenceLogger sends it: its id, request or response, and the payload. */
export interface PayloadEvent { id: string; kind: 'request' | 'response'; data: Buffer }

/**
 * Reads a CloudEvents 1.0 HTTP message in binary mode (`ce-*` headers, the body is the payload) or
 * structured mode (`content-type: application/cloudevents+json`, `data` or `data_base64`). Throws a
 * coded 400 naming the missing attribute or the unknown type.
 */
export function readCloudEvent(headers: IncomingHttpHeaders, body: Buffer): PayloadEvent {
  const ct = String(headers['content-type'] ?? '').toLowerCase();
  let id: unknown;
  let type: unknown;
  let specversion: unknown;
  let data: Buffer;
  if (ct.startsWith('application/cloudevents+json')) {
    const ev = parseJsonBody(body);
    if (!isRecord(ev)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: '(event)', rule: 'a structured CloudEvent must be a JSON object' });
    ({ id, type, specversion } = ev);
    if (typeof ev.data_base64 === 'string') data = Buffer.from(ev.data_base64, 'base64');
    else if (typeof ev.data === 'string') data = Buffer.from(ev.data);
    else if (ev.data !== undefined) data = Buffer.from(JSON.stringify(ev.data));
    else throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: 'data', rule: 'the event carries no payload (data or data_base64)' });
  } else {
    id = headers['ce-id'];
    type = headers['ce-type'];
    specversion = headers['ce-specversion'];
    data = body;
  }
  const where = ct.startsWith('application/cloudevents+json') ? '' : 'ce-';
  if (specversion !== '1.0') throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `${where}specversion`, rule: `must be 1.0, got ${JSON.stringify(specversion ?? null)}` });
  if (typeof id !== 'string' || id === '' || id.length > 256) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `${where}id`, rule: 'must be a non-empty string (at most 256 characters)' });
  if (type !== REQUEST && type !== RESPONSE) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `${where}type`, rule: `must be ${REQUEST} or ${RESPONSE}, got ${JSON.stringify(type ?? null)}` });
  return { id, kind: type === REQUEST ? 'request' : 'response', data };
}

interface Pending { request?: Buffer; response?: Buffer; at: number }

/**
 * The KServe InferenceLogger as a source (`POST /v1/cloudevents`): a request event and its response
 * event (same `ce-id`, either order) are decoded together — the V2 protocol (`inputs` tensors) or the
 * V1 / TF Serving row format (`instances`) — and observed like proxied exchanges. A request whose
 * response does not come within `pairTimeoutMs` is observed alone (inputs only); a response whose
 * request never came is counted `VIGIL_MONITOR_CLOUDEVENT_UNPAIRED`. At most `maxPending` ids wait.
 */
export class CloudEventsSource {
  private readonly pending = new Map<string, Pending>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly engine: MonitorEngine, private readonly logger: Logger, private readonly tensors: TensorCodecOptions, private readonly pairTimeoutMs = 30_000, private readonly maxPending = 10_000) {}

  /** Takes one event; `paired` when it completed a pair (then observed). */
  accept(ev: PayloadEvent): { paired: boolean } {
    const p = this.pending.get(ev.id) ?? { at: Date.now() };
    p[ev.kind] = ev.data;
    if (p.request && p.response) {
      this.pending.delete(ev.id);
      this.observe(p.request, p.response);
      return { paired: true };
    }
    if (!this.pending.has(ev.id)) {
      if (this.pending.size >= this.maxPending) this.expire(this.pending.keys().next().value as string);
      this.pending.set(ev.id, p);
      this.sweeper ??= setInterval(() => this.sweep(), Math.min(1000, this.pairTimeoutMs)).unref();
    }
    return { paired: false };
  }

  get waiting(): number { return this.pending.size; }

  private sweep(): void {
    const cutoff = Date.now() - this.pairTimeoutMs;
    for (const [id, p] of this.pending) {
      if (p.at > cutoff) break; // insertion order is age order
      this.expire(id);
    }
    if (this.pending.size === 0) { clearInterval(this.sweeper); this.sweeper = undefined; }
  }

  private expire(id: string): void {
    const p = this.pending.get(id);
    this.pending.delete(id);
    if (p?.request) this.observe(p.request, undefined);
    else this.engine.noteRejected('VIGIL_MONITOR_CLOUDEVENT_UNPAIRED', 'cloudevents');
  }

  private observe(request: Buffer, response: Buffer | undefined): void {
    let obs: Observations;
    try {
      const isV2 = /"inputs"\s*:\s*\[\s*\{/.test(request.subarray(0, 4096).toString('utf8'));
      obs = isV2
        ? decodeV2Exchange(request, {}, response, {}, this.engine.shape, this.tensors)
        : decodeTfExchange(request, response, this.engine.shape, this.tensors);
    } catch (err) {
      const code = isVigilError(err) ? err.code : 'VIGIL_MONITOR_INTERNAL';
      this.engine.noteRejected(code, 'cloudevents');
      this.logger.debug({ code, reason: (err as Error).message }, 'logged inference not observed');
      return;
    }
    this.engine.observe(obs, 'cloudevents').catch((err: unknown) => {
      this.engine.noteRejected('VIGIL_MONITOR_INTERNAL', 'cloudevents');
      this.logger.warn({ reason: (err as Error).message }, 'observing a logged inference failed');
    });
  }
}
