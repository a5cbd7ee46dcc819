import { readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'undici';
import { z } from 'zod';
import { monitorErrors } from '../errors.ts';
import type { Exchange } from '../protocols/codec.ts';
import { OPENAI_FEATURES, readOpenAiExchange, type OpenAiFeature } from '../protocols/openai.ts';
import { redactUrls } from './redact.ts';

export interface RecordOptions {
  /** Base URL of the OpenAI-compatible endpoint. */
  target: string;
  /** JSONL of requests: `{"method"?: "POST", "path": "/v1/chat/completions", "body": {...}, "headers"?: {...}}` (vigil load's replay format). */
  requests: string;
  /** Where the reference set is written (JSONL, one object per answer keyed by feature name). */
  out: string;
  /** Requests in flight at once (default 1: the answers' timings are not those of a loaded server). */
  concurrency?: number;
  /** Per request, ms (default 120 s). */
  timeoutMs?: number;
}

export interface RecordResult { rows: number; features: OpenAiFeature[]; failed: { line: number; reason: string }[]; finishReasons: Record<string, number> }

const requestLine = z.object({ method: z.string().default('POST'), path: z.string().startsWith('/'), body: z.unknown(), headers: z.record(z.string(), z.string()).optional() }).loose();

/**
 * `vigil monitor record`: sends each request of a JSONL file to an OpenAI-compatible endpoint, reads
 * every answer the way the monitor's `openai` protocol does (prompt/completion tokens, TTFT from the
 * send to the first content chunk, duration) and writes the features every answer has as a
 * reference set for `vigil monitor serve --protocol openai`.
 */
export async function recordReference(opts: RecordOptions): Promise<RecordResult> {
  const lines = readFileSync(opts.requests, 'utf8').split('\n').map((l, i) => ({ text: l.trim(), line: i + 1 })).filter((l) => l.text !== '');
  const requests = lines.map(({ text, line }) => {
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch (err) { throw monitorErrors.VIGIL_MONITOR_BAD_OPTION({ name: '--requests', value: `${opts.requests}:${line}`, rule: `each line must be a JSON request: ${(err as Error).message}` }); }
    const r = requestLine.safeParse(parsed);
    if (!r.success) throw monitorErrors.VIGIL_MONITOR_BAD_OPTION({ name: '--requests', value: `${opts.requests}:${line}`, rule: `each line must be {"method"?, "path", "body", "headers"?}: ${r.error.issues[0]?.message ?? 'invalid'}` });
    return { ...r.data, line };
  });
  const target = new URL(opts.target);
  const agent = new Agent({ connections: opts.concurrency ?? 1 });
  const readings: (Partial<Record<OpenAiFeature, number>> | undefined)[] = new Array(requests.length);
  const failed: RecordResult['failed'] = [];
  const finishReasons: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i] as (typeof requests)[number];
      try {
        const ex = await exchange(agent, target, r.method, r.path, r.body, r.headers ?? {}, opts.timeoutMs ?? 120_000);
        if (ex.status < 200 || ex.status >= 300) throw new Error(`answered ${ex.status}`);
        const reading = readOpenAiExchange(ex);
        readings[i] = reading.values;
        if (reading.finishReason !== undefined) finishReasons[reading.finishReason] = (finishReasons[reading.finishReason] ?? 0) + 1;
      } catch (err) {
        failed.push({ line: r.line, reason: redactUrls((err as Error).message) });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, worker));
  } finally {
    await agent.close();
  }
  const ok = readings.filter((v): v is Partial<Record<OpenAiFeature, number>> => v !== undefined);
  const features = OPENAI_FEATURES.filter((f) => ok.length > 0 && ok.every((v) => v[f] !== undefined));
  if (ok.length < 10 || features.length === 0) {
    throw monitorErrors.VIGIL_MONITOR_BAD_OPTION({ name: '--requests', value: opts.requests, rule: `a reference set needs at least 10 answers sharing a feature; ${ok.length} answered (${failed.length} failed${failed[0] ? `, first: line ${failed[0].line}: ${failed[0].reason}` : ''})` });
  }
  writeFileSync(opts.out, ok.map((v) => JSON.stringify(Object.fromEntries(features.map((f) => [f, round(v[f] as number)])))).join('\n') + '\n');
  return { rows: ok.length, features, failed, finishReasons };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** One request, the answer's chunks timed from the send. */
async function exchange(agent: Agent, target: URL, method: string, path: string, body: unknown, headers: Record<string, string>, timeoutMs: number): Promise<Exchange> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const started = performance.now();
  const res = await agent.request({ origin: target.origin, path: target.pathname.replace(/\/+$/, '') + path, method: method as 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload ?? null, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const chunks: { bytes: Buffer; atMs: number }[] = [];
  for await (const c of res.body) chunks.push({ bytes: c as Buffer, atMs: performance.now() - started });
  const durationMs = performance.now() - started;
  return {
    method, path, requestHeaders: headers, requestBody: Buffer.from(payload ?? ''), status: res.statusCode, responseHeaders: res.headers,
    responseBody: Buffer.concat(chunks.map((c) => c.bytes)), firstByteMs: chunks[0]?.atMs ?? durationMs, durationMs, responseChunks: chunks,
  };
}
