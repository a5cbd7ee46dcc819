import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCompletionRequest, meterFor, type LlmObservation } from '../../load/stream/meter.ts';

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const chat = (content: string | null, extra = ''): string => `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{${content === null ? '"role":"assistant","content":""' : `"content":${JSON.stringify(content)}`}},"finish_reason":null}]${extra}}\n\n`;
const USAGE = 'data: {"id":"c","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}\n\n';
const DONE = 'data: [DONE]\n\n';

/** Feeds (time, text) pairs to an SSE meter opened at t=100 ms and ends it at `endAt`. */
function run(parts: [number, string][], endAt = 1000, cut?: string): LlmObservation | undefined {
  const m = meterFor('text/event-stream; charset=utf-8', false, 100);
  assert.ok(m);
  for (const [t, text] of parts) m.data(enc(text), t);
  return cut ? m.cut(cut) : m.end(endAt);
}

test('meter: the role-only first chunk is not the first token; gaps are between content chunks; usage wins', () => {
  const o = run([[101, chat(null)], [130, chat('Hel')], [140, chat('lo') + chat(' wor')], [165.5, chat('ld')], [166, USAGE + DONE]]);
  assert.ok(o);
  assert.equal(o.streamed, true);
  assert.equal(o.headersAt, 100);
  assert.equal(o.firstTokenAt, 130);
  // two chunks in one read arrive together: a gap of 0 is what the client saw
  assert.deepEqual(o.gapsUs.map((g) => Math.round(g)), [10_000, 0, 25_500]);
  assert.equal(o.contentChunks, 4);
  assert.deepEqual(o.usage, { completionTokens: 7, promptTokens: 12 });
  assert.equal(o.error, undefined);
});

test('meter: text completions, reasoning and tool calls are content; empty deltas and finish chunks are not', () => {
  const text = (t: string): string => `data: {"choices":[{"index":0,"text":${JSON.stringify(t)}}]}\n\n`;
  const o1 = run([[110, text('')], [120, text('a')], [130, text('b')], [131, 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n' + DONE]]);
  assert.equal(o1?.firstTokenAt, 120);
  assert.equal(o1?.contentChunks, 2);
  assert.equal(o1?.usage, undefined);
  const o2 = run([[105, 'data: {"choices":[{"delta":{"reasoning_content":"hmm"}}]}\n\n'], [106, 'data: {"choices":[{"delta":{"tool_calls":[{"index":0}]}}]}\n\n' + DONE]]);
  assert.equal(o2?.firstTokenAt, 105);
  assert.equal(o2?.contentChunks, 2);
});

test('meter: failures of a stream', () => {
  const cases: [string, [number, string][], string | undefined, RegExp][] = [
    ['no [DONE]', [[110, chat('a')]], undefined, /without data: \[DONE\]/],
    ['cut mid-event', [[110, chat('a') + 'data: {"cho']], undefined, /middle of an event/],
    ['error event', [[110, chat('a')], [120, 'event: error\ndata: {"message":"overloaded"}\n\n']], undefined, /error event/],
    ['error chunk', [[110, 'data: {"error":{"message":"boom","code":500}}\n\n']], undefined, /error in the stream/],
    ['not JSON', [[110, 'data: hello\n\n' + DONE]], undefined, /neither JSON nor \[DONE\]/],
    ['a JSON array', [[110, 'data: [1]\n\n' + DONE]], undefined, /not a JSON object/],
    ['cut connection', [[110, chat('a')]], 'ECONNRESET', /cut: ECONNRESET/],
  ];
  for (const [name, parts, cut, want] of cases) {
    const o = run(parts, 1000, cut);
    assert.match(o?.error ?? '', want, name);
  }
  // after [DONE], nothing counts, not even an error event
  const o = run([[110, chat('a') + DONE + 'event: error\ndata: x\n\n' + chat('b')]]);
  assert.equal(o?.error, undefined);
  assert.equal(o?.contentChunks, 1);
});

test('meter: a non-streamed JSON answer to a completion request gives its usage; other responses are not metered', () => {
  const m = meterFor('application/json', true, 50);
  assert.ok(m);
  const body = JSON.stringify({ id: 'x', choices: [{ message: { role: 'assistant', content: 'hi' } }], usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 } });
  m.data(enc(body.slice(0, 10)), 60);
  m.data(enc(body.slice(10)), 61);
  const o = m.end(62);
  assert.deepEqual(o && { streamed: o.streamed, usage: o.usage, first: o.firstTokenAt }, { streamed: false, usage: { completionTokens: 9, promptTokens: 3 }, first: undefined });
  const noUsage = meterFor('application/json', true, 50);
  noUsage?.data(enc('{"outputs":[[1]]}'), 60);
  assert.equal(noUsage?.end(61), undefined);
  const broken = meterFor('application/json', true, 50);
  broken?.data(enc('{"usage":'), 60);
  assert.equal(broken?.end(61), undefined);
  assert.equal(meterFor('application/json', false, 0), undefined);
  assert.equal(meterFor(undefined, true, 0), undefined);
  assert.ok(meterFor(['Text/Event-Stream'], false, 0));
});

test('isCompletionRequest: by path or by a prompt in the body', () => {
  assert.equal(isCompletionRequest('/v1/chat/completions', undefined), true);
  assert.equal(isCompletionRequest('/v1/completions?x=1', undefined), true);
  assert.equal(isCompletionRequest('/generate', enc('{"model":"m","messages":[]}')), true);
  assert.equal(isCompletionRequest('/generate', enc('{"prompt":"hi"}')), true);
  assert.equal(isCompletionRequest('/predict', enc('{"inputs":[[1]]}')), false);
  assert.equal(isCompletionRequest('/predict', undefined), false);
});
