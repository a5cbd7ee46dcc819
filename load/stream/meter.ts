/**
 * Per-response measurement of an LLM answer, transport-agnostic: the transport (undici's HTTP/1.1
 * dispatch today) calls `meterFor` when the response headers arrive, then feeds body chunks with
 * the time it received them (performance.now(), ms) and ends or cuts the meter. What comes out is
 * an `LlmObservation` in absolute times; the engine turns them into latencies from each request's
 * intended start.
 *
 * - `text/event-stream` (no flag needed): SSE, read as an OpenAI-compatible stream. The first
 *   chunk with content is the first token; the gaps between content chunks are the inter-token
 *   latencies (per chunk, as vLLM's bench measures them); output tokens come from `usage` when the
 *   server sends it, else they are the content-chunk count, marked as an estimate. An `error`
 *   event, an error chunk, a data line that is not JSON, or an end without `data: [DONE]` fails it.
 * - A JSON answer to a completion request (non-streamed): tokens from its `usage`.
 */
import { readChunk, readCompletionUsage, type Usage } from './openai-chunk.ts';
import { MAX_EVENT_BYTES, SseParser } from './sse-parser.ts';

export interface LlmObservation {
  /** Answered as an SSE stream (else a single JSON body). */
  streamed: boolean;
  /** When the response headers arrived, ms (performance clock). */
  headersAt: number;
  /** When the first chunk with content arrived, ms; undefined when none did (or not streamed). */
  firstTokenAt: number | undefined;
  /** Gaps between consecutive content chunks, µs. */
  gapsUs: number[];
  contentChunks: number;
  usage: Usage | undefined;
  /** Set when the stream failed: an error event, a malformed chunk, no [DONE], a cut connection. */
  error: string | undefined;
}

export interface ResponseMeter {
  data(chunk: Uint8Array, nowMs: number): void;
  /** The body ended; the observation, or undefined when the answer was not an LLM answer after all. */
  end(nowMs: number): LlmObservation | undefined;
  /** The connection failed mid-body. */
  cut(reason: string): LlmObservation | undefined;
}

/** Largest non-streamed JSON answer read for its `usage`, bytes (beyond, its tokens are not counted). */
export const MAX_COMPLETION_BODY = 16 * 1024 * 1024;

/**
 * The meter for a response, or undefined when it is neither an event stream nor a JSON answer to
 * a completion request (`expectsCompletion`, see `isCompletionRequest`): such responses cost nothing extra.
 */
export function meterFor(contentType: string | string[] | undefined, expectsCompletion: boolean, nowMs: number): ResponseMeter | undefined {
  const ct = (Array.isArray(contentType) ? contentType[0] : contentType)?.toLowerCase() ?? '';
  if (ct.startsWith('text/event-stream')) return new SseMeter(nowMs);
  if (expectsCompletion && ct.includes('json')) return new CompletionMeter(nowMs);
  return undefined;
}

class SseMeter implements ResponseMeter {
  private readonly obs: LlmObservation;
  private readonly parser = new SseParser((type, data) => this.event(type, data));
  private now = 0;
  private lastContentAt = 0;
  private done = false;

  constructor(headersAt: number) {
    this.obs = { streamed: true, headersAt, firstTokenAt: undefined, gapsUs: [], contentChunks: 0, usage: undefined, error: undefined };
  }

  data(chunk: Uint8Array, nowMs: number): void {
    if (this.done || this.obs.error !== undefined) return;
    this.now = nowMs;
    this.parser.push(chunk);
    if (this.parser.overflowed) this.obs.error = `an event longer than ${MAX_EVENT_BYTES} bytes`;
  }

  end(): LlmObservation {
    if (!this.done && this.obs.error === undefined) this.obs.error = this.parser.midEvent ? 'the stream ended in the middle of an event' : 'the stream ended without data: [DONE]';
    return this.obs;
  }

  cut(reason: string): LlmObservation {
    if (this.obs.error === undefined) this.obs.error = this.done ? `the connection failed after [DONE]: ${reason}` : `the stream was cut: ${reason}`;
    return this.obs;
  }

  private event(type: string, data: string): void {
    if (this.done || this.obs.error !== undefined) return; // nothing after [DONE] or an error counts
    const r = readChunk(type, data);
    if (r.error !== undefined) { this.obs.error = r.error; return; }
    if (r.done) { this.done = true; return; }
    if (r.usage) this.obs.usage = r.usage;
    if (!r.content) return;
    const o = this.obs;
    if (o.firstTokenAt === undefined) o.firstTokenAt = this.now;
    else o.gapsUs.push((this.now - this.lastContentAt) * 1000);
    this.lastContentAt = this.now;
    o.contentChunks++;
  }
}

class CompletionMeter implements ResponseMeter {
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;

  constructor(private readonly headersAt: number) {}

  data(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.bytes <= MAX_COMPLETION_BODY) this.chunks.push(chunk);
  }

  end(): LlmObservation | undefined {
    if (this.bytes > MAX_COMPLETION_BODY) return undefined;
    let usage: Usage | undefined;
    try {
      usage = readCompletionUsage(JSON.parse(Buffer.concat(this.chunks).toString('utf8')));
    } catch {
      return undefined;
    }
    if (!usage) return undefined;
    return { streamed: false, headersAt: this.headersAt, firstTokenAt: undefined, gapsUs: [], contentChunks: 0, usage, error: undefined };
  }

  cut(): undefined {
    return undefined;
  }
}

const COMPLETION_PATH = /\/completions\/?$/;
const PROMPT_KEYS = [Buffer.from('"messages"'), Buffer.from('"prompt"')];

/**
 * Whether a request asks for a completion, so a JSON answer to it is read for `usage`: its path
 * ends in /completions (OpenAI's /v1/chat/completions, /v1/completions) or its body names
 * `messages` or `prompt`. Decided once per request of the source, before the run.
 */
export function isCompletionRequest(path: string, body: Uint8Array | undefined): boolean {
  if (COMPLETION_PATH.test(path.split('?')[0] ?? '')) return true;
  if (!body) return false;
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return PROMPT_KEYS.some((k) => b.includes(k));
}
