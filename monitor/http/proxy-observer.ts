import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Logger } from 'pino';
import type { MonitorEngine } from '../engine.ts';
import type { MonitorMetrics } from '../metrics.ts';
import { monitorErrors } from '../errors.ts';
import type { Codec, Exchange } from '../protocols/codec.ts';
import type { Observations } from '../protocols/json.ts';
import type { Matrix } from '../state/window.ts';
import { isVigilError } from '../../common/errors.ts';

/** An exchange whose body copies may still carry their content-encoding. */
export type RawExchange = Exchange;

/**
 * Reads proxied exchanges off the request path: exchanges are queued and, every `flushMs`, decoded
 * (content-encoding undone, codec applied) and handed to the engine as one batch — one reference
 * model run and one window update per flush instead of one per request. An exchange the codec cannot
 * read is counted in `vigil_observations_rejected_total{source="proxy"}`, never an error to the client.
 */
export class ProxyObserver {
  private queue: RawExchange[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly codec: Codec, private readonly engine: MonitorEngine, private readonly metrics: MonitorMetrics, private readonly model: string, private readonly logger: Logger, private readonly maxBytes: number, private readonly flushMs = 20) {}

  push(exchange: RawExchange): void {
    this.queue.push(exchange);
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.flushMs);
  }

  /** Counts an exchange that was forwarded but not observed (over --observe-max-bytes). */
  tooLarge(): void {
    this.engine.noteRejected('VIGIL_MONITOR_OBSERVE_TOO_LARGE', 'proxy');
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    const withOutputs: Observations[] = [];
    const withoutOutputs: Observations[] = [];
    for (const ex of batch) {
      try {
        const obs = this.codec.decode(decodeBodies(ex, this.maxBytes), this.engine.shape);
        (obs.outputs ? withOutputs : withoutOutputs).push(obs);
        for (const [feature, values] of Object.entries(obs.categorical ?? {})) {
          for (const value of values) this.metrics.categorical.inc({ model: this.model, feature, value });
        }
      } catch (err) {
        const code = isVigilError(err) ? err.code : 'VIGIL_MONITOR_INTERNAL';
        this.engine.noteRejected(code, 'proxy');
        this.logger.debug({ code, reason: (err as Error).message }, 'proxied exchange not observed');
      }
    }
    for (const group of [withOutputs, withoutOutputs]) {
      if (group.length === 0) continue;
      this.engine.observe(concat(group), 'proxy').catch((err: unknown) => {
        // Coded refusals (values beyond float32, a non-finite reference output) are counted by the engine itself.
        if (!isVigilError(err)) this.engine.noteRejected('VIGIL_MONITOR_INTERNAL', 'proxy');
        this.logger.warn({ reason: (err as Error).message }, 'observing proxied exchanges failed');
      });
    }
  }

  close(): void {
    this.flush();
  }
}

/** Observations of several exchanges (all with outputs, or all without) as one batch. */
function concat(list: readonly Observations[]): Observations {
  if (list.length === 1) return list[0] as Observations;
  const join = (ms: Matrix[]): Matrix => {
    const cols = (ms[0] as Matrix).cols;
    const rows = ms.reduce((n, m) => n + m.rows, 0);
    const data = new Float64Array(rows * cols);
    let at = 0;
    for (const m of ms) { data.set(m.data.subarray(0, m.rows * cols), at); at += m.rows * cols; }
    return { data, rows, cols };
  };
  const inputs = join(list.map((o) => o.inputs));
  const outs = list.map((o) => o.outputs).filter((o): o is Matrix => o !== undefined);
  return outs.length === list.length ? { inputs, outputs: join(outs) } : { inputs };
}

/** Undoes the content-encoding of both body copies (gzip, deflate, br), bounded by `maxBytes`. */
export function decodeBodies(ex: RawExchange, maxBytes: number): Exchange {
  const requestBody = decodeBody(ex.requestBody, ex.requestHeaders['content-encoding'], maxBytes, 'request');
  const responseBody = decodeBody(ex.responseBody, ex.responseHeaders['content-encoding'], maxBytes, 'response');
  if (requestBody === ex.requestBody && responseBody === ex.responseBody) return ex;
  // The chunk times belong to the encoded bytes: a decoded answer is read as one piece.
  const { responseChunks: _encoded, ...rest } = ex;
  return { ...rest, requestBody, responseBody };
}

function decodeBody(body: Buffer, encoding: string | string[] | undefined, maxBytes: number, which: string): Buffer {
  const raw = Array.isArray(encoding) ? encoding.join(',') : encoding;
  if (raw === undefined || body.length === 0) return body;
  let out = body;
  // Codings are listed in the order applied; undo them last first.
  for (const coding of raw.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean).reverse()) {
    const opts = { maxOutputLength: maxBytes };
    try {
      if (coding === 'identity') continue;
      else if (coding === 'gzip' || coding === 'x-gzip') out = gunzipSync(out, opts);
      else if (coding === 'deflate') out = inflateSync(out, opts);
      else if (coding === 'br') out = brotliDecompressSync(out, opts);
      else throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `${which} content-encoding`, rule: `${coding} cannot be decoded (gzip, deflate, br)` });
    } catch (err) {
      if (isVigilError(err)) throw err;
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw monitorErrors.VIGIL_MONITOR_OBSERVE_TOO_LARGE({ limit: maxBytes });
      throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `${which} content-encoding`, rule: `${coding} data is corrupt: ${(err as Error).message}` });
    }
  }
  return out;
}
