import { readChunk, SseParser } from '../../load/stream/index.ts';
import { monitorErrors } from '../errors.ts';
import type { Codec, Exchange } from './codec.ts';
import { isRecord, parseJsonBody, type ObservationShape, type Observations } from './json.ts';

/** The numeric features an OpenAI-compatible exchange yields; a reference set names the ones it uses. */
export const OPENAI_FEATURES = ['prompt_tokens', 'completion_tokens', 'ttft_ms', 'duration_ms'] as const;
export type OpenAiFeature = (typeof OPENAI_FEATURES)[number];
/** finish_reason values kept as they are; anything else is counted as `other` (bounded label values). */
export const FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'] as const;

const ROUTES: Readonly<Record<string, 'chat' | 'completion' | 'embedding'>> = { '/v1/chat/completions': 'chat', '/v1/completions': 'completion', '/v1/embeddings': 'embedding' };

/** What one exchange measured: the features it has, finish reasons, and the embedding vectors of an embeddings call. */
export interface OpenAiReading {
  kind: 'chat' | 'completion' | 'embedding';
  streamed: boolean;
  values: Partial<Record<OpenAiFeature, number>>;
  finishReason: string | undefined;
  embeddings: number[][] | undefined;
}

/**
 * OpenAI-compatible servers (vLLM, TGI, Ollama, Triton's frontend): `/v1/chat/completions`,
 * `/v1/completions` and `/v1/embeddings` are observed, every other `/v1/...` path (e.g. `/v1/models`)
 * is forwarded. Features per exchange: `prompt_tokens` and `completion_tokens` (from `usage`; a stream
 * without its usage chunk counts its content chunks as completion tokens and has no prompt tokens),
 * `ttft_ms` (request arrival → first content chunk of a stream; the first body byte of a JSON
 * answer) and `duration_ms` (→ the answer's end); `finish_reason` as a categorical value.
 */
export function createOpenAiCodec(): Codec {
  return {
    name: 'openai',
    route: (path) => path,
    timesChunks: true,
    forwards: (_method, path) => path.startsWith('/v1/') && !path.startsWith('/v1/cloudevents'),
    observes: (method, path) => method === 'POST' && ROUTES[path] !== undefined,
    decode(ex, shape) {
      return toObservations(readOpenAiExchange(ex), shape);
    },
  };
}

/** The features of one exchange as rows for the windows (one row; feature order of the reference set). */
export function toObservations(r: OpenAiReading, shape: ObservationShape): Observations {
  const data = new Float64Array(shape.features.length);
  shape.features.forEach((f, j) => {
    const v = r.values[f as OpenAiFeature];
    if (!(OPENAI_FEATURES as readonly string[]).includes(f)) throw monitorErrors.VIGIL_MONITOR_UNKNOWN_FEATURE({ path: 'openai exchange', feature: f, features: OPENAI_FEATURES.join(', ') });
    if (v === undefined) throw monitorErrors.VIGIL_MONITOR_MISSING_FEATURE({ path: `${r.kind} ${r.streamed ? 'stream' : 'answer'}`, feature: f });
    data[j] = v;
  });
  return {
    inputs: { data, rows: 1, cols: shape.features.length },
    ...(r.finishReason !== undefined ? { categorical: { finish_reason: [r.finishReason] } } : {}),
  };
}

/** Reads one exchange: a JSON answer, or an SSE stream with the time each chunk arrived. */
export function readOpenAiExchange(ex: Exchange): OpenAiReading {
  const kind = ROUTES[ex.path];
  if (kind === undefined) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: ex.path, rule: 'is not /v1/chat/completions, /v1/completions or /v1/embeddings' });
  const ct = String(ex.responseHeaders['content-type'] ?? '').toLowerCase();
  if (ct.startsWith('text/event-stream')) return readStream(ex, kind);
  const body = parseJsonBody(ex.responseBody);
  if (!isRecord(body)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: '(answer)', rule: 'must be a JSON object' });
  const usage = isRecord(body.usage) ? body.usage : {};
  const values: Partial<Record<OpenAiFeature, number>> = { ttft_ms: ex.firstByteMs, duration_ms: ex.durationMs };
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  if (prompt !== undefined) values.prompt_tokens = prompt;
  if (completion !== undefined) values.completion_tokens = completion;
  if (kind === 'embedding') {
    delete values.ttft_ms;
    return { kind, streamed: false, values, finishReason: undefined, embeddings: embeddingsOf(body.data) };
  }
  const first = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : undefined;
  return { kind, streamed: false, values, finishReason: reasonOf(first?.finish_reason), embeddings: undefined };
}

function readStream(ex: Exchange, kind: OpenAiReading['kind']): OpenAiReading {
  let now = ex.durationMs;
  let firstToken: number | undefined;
  let chunks = 0;
  let done = false;
  let error: string | undefined;
  let usage: { promptTokens: number | undefined; completionTokens: number | undefined } | undefined;
  let finish: string | undefined;
  const parser = new SseParser((type, data) => {
    if (done || error !== undefined) return;
    const r = readChunk(type, data);
    if (r.error !== undefined) { error = r.error; return; }
    if (r.done) { done = true; return; }
    if (r.usage) usage = r.usage;
    const reason = /"finish_reason"\s*:\s*"([^"]{1,64})"/.exec(data)?.[1];
    if (reason !== undefined) finish = reason;
    if (!r.content) return;
    if (firstToken === undefined) firstToken = now;
    chunks++;
  });
  // Without chunk times (a content-encoded stream), every event counts at the end of the answer.
  for (const c of ex.responseChunks ?? [{ bytes: ex.responseBody, atMs: ex.durationMs }]) {
    now = c.atMs;
    parser.push(c.bytes);
  }
  if (error === undefined && !done) error = 'the stream ended without data: [DONE]';
  if (error !== undefined) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `${kind} stream`, rule: `failed: ${error}` });
  const values: Partial<Record<OpenAiFeature, number>> = { duration_ms: ex.durationMs, completion_tokens: usage?.completionTokens ?? chunks };
  if (firstToken !== undefined) values.ttft_ms = firstToken;
  if (usage?.promptTokens !== undefined) values.prompt_tokens = usage.promptTokens;
  return { kind, streamed: true, values, finishReason: reasonOf(finish), embeddings: undefined };
}

function reasonOf(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return (FINISH_REASONS as readonly string[]).includes(v) ? v : 'other';
}

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

function embeddingsOf(data: unknown): number[][] {
  if (!Array.isArray(data) || data.length === 0) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: 'data', rule: 'must be a non-empty list of {embedding: number[]}' });
  return data.map((d, i) => {
    const e = isRecord(d) ? d.embedding : undefined;
    if (!Array.isArray(e) || e.some((x) => typeof x !== 'number' || !Number.isFinite(x))) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `data[${i}].embedding`, rule: 'must be a list of finite numbers (encoding_format float)' });
    return e as number[];
  });
}
