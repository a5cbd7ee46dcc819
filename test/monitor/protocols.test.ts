import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Exchange } from '../../monitor/protocols/codec.ts';
import { createJsonCodec, getPath, parseJsonPath } from '../../monitor/protocols/json.ts';
import { createKserveV2Codec } from '../../monitor/protocols/kserve-v2.ts';
import { createTfServingCodec, parseTfJson } from '../../monitor/protocols/tfserving.ts';
import { decodeRawTensor, halfToNumber } from '../../monitor/protocols/tensor.ts';
import { createOpenAiCodec, readOpenAiExchange } from '../../monitor/protocols/openai.ts';
import { isVigilError } from '../../common/errors.ts';

const F3 = { features: ['a', 'b', 'c'], outputDim: 2 };

function exchange(path: string, request: unknown, response: unknown, headers: { req?: Record<string, string>; res?: Record<string, string> } = {}): Exchange {
  const buf = (v: unknown) => (Buffer.isBuffer(v) ? v : Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)));
  return { method: 'POST', path, requestHeaders: headers.req ?? {}, requestBody: buf(request), status: 200, responseHeaders: headers.res ?? {}, responseBody: buf(response), firstByteMs: 1, durationMs: 2 };
}
const rows = (m: { data: Float64Array; rows: number; cols: number }) => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
function code(fn: () => unknown): string {
  try { fn(); } catch (err) { if (isVigilError(err)) return err.code; throw err; }
  return 'no error';
}

test('JSON paths: $ is the body root, [i] indexes arrays, dotted keys; bad paths are refused', () => {
  const body = { a: { b: [10, { c: [[1, 2]] }] }, 'x-y': 1 };
  const cases: [string, unknown][] = [['$', body], ['a.b[0]', 10], ['$.a.b[1].c[0]', [1, 2]], ['a.b[5]', undefined], ['a.z', undefined], ['$.x-y', 1]];
  for (const [path, want] of cases) assert.deepEqual(getPath(body, path), want, path);
  assert.deepEqual(getPath([[1, 2, 3]], '[0]'), [1, 2, 3]);
  assert.deepEqual(parseJsonPath('$[0].x'), [0, 'x']);
  for (const bad of ['', '.a', 'a..b', 'a[x]', '$$', 'a[', '9a']) assert.throws(() => parseJsonPath(bad), RangeError, bad);
});

test('json codec: a BentoML top-level array at $ and a TorchServe answer at $', () => {
  const codec = createJsonCodec({ path: '/classify', inputs: '$', outputs: '$' });
  assert.ok(codec.forwards('POST', '/classify') && !codec.forwards('POST', '/v1/status'));
  const obs = codec.decode(exchange('/classify', [[1, 2, 3], { a: 4, b: 5, c: 6 }], [[0.1, 0.9], [0.5, 0.5]]), F3);
  assert.deepEqual(rows(obs.inputs), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(rows(obs.outputs!), [[0.1, 0.9], [0.5, 0.5]]);
});

test('FP16 and raw little-endian tensors decode to the values their bits mean', () => {
  const halves: [number, number][] = [[0x3c00, 1], [0xc000, -2], [0x7bff, 65504], [0x0001, 2 ** -24], [0x3555, 0.333251953125], [0x7c00, Infinity], [0xfc00, -Infinity], [0, 0]];
  for (const [bits, want] of halves) assert.equal(halfToNumber(bits), want, bits.toString(16));
  assert.ok(Number.isNaN(halfToNumber(0x7e00)));
  const le = (arr: ArrayBufferView) => new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  assert.deepEqual(Array.from(decodeRawTensor(le(new Float32Array([1.5, -0.25])), 'FP32', 't')), [1.5, -0.25]);
  assert.deepEqual(Array.from(decodeRawTensor(le(new Float64Array([Math.PI])), 'FP64', 't')), [Math.PI]);
  assert.deepEqual(Array.from(decodeRawTensor(le(new Int16Array([-300, 7])), 'INT16', 't')), [-300, 7]);
  assert.deepEqual(Array.from(decodeRawTensor(le(new BigInt64Array([-5n, 2n ** 40n])), 'INT64', 't')), [-5, 2 ** 40]);
  assert.deepEqual(Array.from(decodeRawTensor(le(new Uint8Array([0, 1, 255])), 'UINT8', 't')), [0, 1, 255]);
  assert.deepEqual(Array.from(decodeRawTensor(le(new Uint16Array([0x3c00, 0xc000])), 'FP16', 't')), [1, -2]);
  assert.equal(code(() => decodeRawTensor(new Uint8Array(3), 'FP32', 't')), 'VIGIL_MONITOR_BAD_BODY');
  assert.equal(code(() => decodeRawTensor(new Uint8Array(4), 'BYTES', 't')), 'VIGIL_MONITOR_BAD_BODY');
});

test('kserve-v2 codec: routes, flat and nested data reshaped by shape, datatypes, tensor names, one tensor per feature', () => {
  const c = createKserveV2Codec();
  assert.ok(c.observes('POST', '/v2/models/m/infer') && c.observes('POST', '/v2/models/m/versions/3/infer'));
  assert.ok(!c.observes('GET', '/v2/models/m/infer') && !c.observes('POST', '/v2/models/m') && !c.observes('POST', '/v2/models/m/versions/3/infer/x'));
  assert.ok(c.forwards('GET', '/v2/health/ready') && !c.forwards('GET', '/v1/status'));
  const out = { model_name: 'm', id: '1', outputs: [{ name: 'probs', shape: [2, 2], datatype: 'FP32', data: [0.25, 0.75, 0.5, 0.5] }] };
  const flat = { inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }] };
  const nested = { inputs: [{ name: 'x', shape: [2, 3], datatype: 'INT32', data: [[1, 2, 3], [4, 5, 6]] }] };
  const deep = { inputs: [{ name: 'x', shape: [2, 1, 3], datatype: 'FP64', data: [[[1, 2, 3]], [[4, 5, 6]]] }] };
  for (const body of [flat, nested, deep]) {
    const obs = c.decode(exchange('/v2/models/m/infer', body, out), F3);
    assert.deepEqual(rows(obs.inputs), [[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(rows(obs.outputs!), [[0.25, 0.75], [0.5, 0.5]]);
  }
  // MLServer pd: one tensor per feature, any order, [n] or [n,1]
  const pd = { inputs: [{ name: 'c', shape: [2, 1], datatype: 'FP64', data: [3, 6] }, { name: 'a', shape: [2], datatype: 'INT64', data: [1, 4] }, { name: 'b', shape: [2, 1], datatype: 'FP16', data: [[2], [5]] }] };
  assert.deepEqual(rows(c.decode(exchange('/v2/models/m/infer', pd, out), F3).inputs), [[1, 2, 3], [4, 5, 6]]);
  // tensors by name
  const two = { inputs: [{ name: 'mask', shape: [2, 1], datatype: 'BOOL', data: [true, false] }, { name: 'x', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }] };
  const outs = { outputs: [{ name: 'label', shape: [2, 1], datatype: 'INT64', data: [1, 0] }, { name: 'probs', shape: [2, 2], datatype: 'FP32', data: [0.25, 0.75, 0.5, 0.5] }] };
  const named = createKserveV2Codec({ inputTensor: 'x', outputTensor: 'probs' }).decode(exchange('/v2/models/m/infer', two, outs), F3);
  assert.deepEqual(rows(named.inputs), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(rows(named.outputs!), [[0.25, 0.75], [0.5, 0.5]]);
  const bad: [unknown, string][] = [
    [{ inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3] }] }, 'VIGIL_MONITOR_BAD_BODY'],
    [{ inputs: [{ name: 'x', shape: [3, 2], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }] }, 'VIGIL_MONITOR_WRONG_SHAPE'],
    [{ inputs: [{ name: 'x', shape: [1, 3], datatype: 'BYTES', data: ['a', 'b', 'c'] }] }, 'VIGIL_MONITOR_BAD_BODY'],
    [{ inputs: [] }, 'VIGIL_MONITOR_BAD_BODY'],
    [{ inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 'NaN', 3] }] }, 'VIGIL_MONITOR_BAD_BODY'],
  ];
  for (const [body, want] of bad) assert.equal(code(() => c.decode(exchange('/v2/models/m/infer', body, out), F3)), want, JSON.stringify(body));
  assert.equal(code(() => createKserveV2Codec({ inputTensor: 'nope' }).decode(exchange('/v2/models/m/infer', flat, out), F3)), 'VIGIL_MONITOR_BAD_BODY');
  assert.equal(code(() => c.decode(exchange('/v2/models/m/infer', flat, { outputs: [{ name: 'p', shape: [3, 2], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }] }), F3)), 'VIGIL_MONITOR_ROW_COUNT_MISMATCH');
});

test('kserve-v2 codec: the binary tensor extension (Inference-Header-Content-Length) is decoded both ways', () => {
  const c = createKserveV2Codec();
  const x = new Float32Array([1, 2, 3, 4, 5, 6]);
  const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP32', parameters: { binary_data_size: x.byteLength } }] }));
  const request = Buffer.concat([header, Buffer.from(x.buffer)]);
  const half = new Uint16Array([0x3400, 0x3a00, 0x3800, 0x3800]); // 0.25 0.75 0.5 0.5
  const outHeader = Buffer.from(JSON.stringify({ model_name: 'm', outputs: [{ name: 'p', shape: [2, 2], datatype: 'FP16', parameters: { binary_data_size: 8 } }] }));
  const response = Buffer.concat([outHeader, Buffer.from(half.buffer)]);
  const obs = c.decode(exchange('/v2/models/m/infer', request, response, { req: { 'inference-header-content-length': String(header.length) }, res: { 'inference-header-content-length': String(outHeader.length) } }), F3);
  assert.deepEqual(rows(obs.inputs), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(rows(obs.outputs!), [[0.25, 0.75], [0.5, 0.5]]);
  assert.equal(code(() => c.decode(exchange('/v2/models/m/infer', request, response, { req: { 'inference-header-content-length': '99999' } }), F3)), 'VIGIL_MONITOR_BAD_BODY');
  assert.equal(code(() => c.decode(exchange('/v2/models/m/infer', request, response), F3)), 'VIGIL_MONITOR_BAD_JSON');
});

test('tfserving codec: routes, instances (lists, scalars, named inputs), columnar inputs, predictions/outputs, NaN/Infinity tokens', () => {
  const c = createTfServingCodec();
  for (const p of ['/v1/models/m:predict', '/v1/models/m/versions/2:predict', '/v1/models/m/labels/canary:predict']) assert.ok(c.observes('POST', p), p);
  for (const p of ['/v1/models/m:classify', '/v1/models/m', '/v1/models/m/versions/x:predict']) assert.ok(!c.observes('POST', p), p);
  assert.ok(c.forwards('GET', '/v1/models/m/metadata') && !c.forwards('GET', '/v1/status'));
  const preds = { predictions: [[0.25, 0.75], [0.5, 0.5]] };
  const want = [[1, 2, 3], [4, 5, 6]];
  const bodies = [
    { instances: [[1, 2, 3], [4, 5, 6]] },
    { instances: [{ a: 1, b: 2, c: 3 }, { a: [4], b: 5, c: 6 }] },
    { instances: [{ x: [1, 2, 3] }, { x: [4, 5, 6] }] },
    { inputs: [[1, 2, 3], [4, 5, 6]] },
    { inputs: { a: [1, 4], b: [2, 5], c: [[3], [6]] } },
    { signature_name: 'serving_default', inputs: { x: [[1, 2, 3], [4, 5, 6]] } },
  ];
  for (const body of bodies) {
    const obs = c.decode(exchange('/v1/models/m:predict', body, preds), F3);
    assert.deepEqual(rows(obs.inputs), want, JSON.stringify(body));
    assert.deepEqual(rows(obs.outputs!), [[0.25, 0.75], [0.5, 0.5]]);
  }
  const named = createTfServingCodec({ inputTensor: 'x', outputTensor: 'probs' }).decode(exchange('/v1/models/m:predict', { instances: [{ x: [1, 2, 3], mask: 1 }] }, { predictions: [{ label: 1, probs: [0.1, 0.9] }] }), F3);
  assert.deepEqual(rows(named.outputs!), [[0.1, 0.9]]);
  const columnarOut = c.decode(exchange('/v1/models/m:predict', { inputs: [[1, 2, 3]] }, { outputs: [[0.1, 0.9]] }), F3);
  assert.deepEqual(rows(columnarOut.outputs!), [[0.1, 0.9]]);
  const scalar = c.decode(exchange('/v1/models/m:predict', { instances: [1, 2] }, '{"predictions": [0.5, 0.25]}'), { features: ['a'], outputDim: 1 });
  assert.deepEqual(rows(scalar.inputs), [[1], [2]]);
  assert.deepEqual(rows(scalar.outputs!), [[0.5], [0.25]]);
  assert.deepEqual(parseTfJson(Buffer.from('{"a": [NaN, Infinity, -Infinity, "NaN in a \\"string\\" Infinity"]}')), { a: [NaN, Infinity, -Infinity, 'NaN in a "string" Infinity'] });
  assert.equal(code(() => c.decode(exchange('/v1/models/m:predict', '{"instances": [[1, NaN, 3]]}', preds), F3)), 'VIGIL_MONITOR_NON_FINITE');
  assert.equal(code(() => c.decode(exchange('/v1/models/m:predict', { instances: [[1]], inputs: [[1]] }, preds), F3)), 'VIGIL_MONITOR_BAD_BODY');
  assert.equal(code(() => c.decode(exchange('/v1/models/m:predict', { instances: [[1, 2]] }, preds), F3)), 'VIGIL_MONITOR_WRONG_SHAPE');
  assert.equal(code(() => c.decode(exchange('/v1/models/m:predict', '{"instances": [[1, 2, 3]], Nope}', preds), F3)), 'VIGIL_MONITOR_BAD_JSON');
});

test('openai codec: a stream timed chunk by chunk (role chunk is not a token), usage, finish_reason; JSON answers; embeddings; failed streams', () => {
  const c = createOpenAiCodec();
  assert.ok(c.observes('POST', '/v1/chat/completions') && c.observes('POST', '/v1/completions') && c.observes('POST', '/v1/embeddings'));
  assert.ok(!c.observes('GET', '/v1/models') && c.forwards('GET', '/v1/models'));
  const ALL = { features: ['prompt_tokens', 'completion_tokens', 'ttft_ms', 'duration_ms'], outputDim: undefined };
  const ev = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const parts: [string, number][] = [
    [ev({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }), 5],
    [': keep-alive\n\n', 20],
    [ev({ choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] }).slice(0, 10), 41],
    [ev({ choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] }).slice(10), 42],
    [ev({ choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: null }] }), 50],
    [ev({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }), 51],
    [ev({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } }) + 'data: [DONE]\n\n', 52],
  ];
  const stream = (ps: [string, number][]): Exchange => ({
    ...exchange('/v1/chat/completions', { stream: true }, ps.map((p) => p[0]).join(''), { res: { 'content-type': 'text/event-stream' } }),
    firstByteMs: 5, durationMs: 60, responseChunks: ps.map(([t, at]) => ({ bytes: Buffer.from(t), atMs: at })),
  });
  const obs = c.decode(stream(parts), ALL);
  assert.deepEqual(rows(obs.inputs), [[7, 2, 42, 60]], 'TTFT is when the first content chunk was complete');
  assert.deepEqual(obs.categorical, { finish_reason: ['stop'] });
  // Without the usage chunk: completion tokens are the content chunks; prompt tokens unknown.
  const noUsage = parts.filter((p) => !p[0].includes('usage')).concat([['data: [DONE]\n\n', 52]]);
  assert.deepEqual(rows(c.decode(stream(noUsage), { features: ['completion_tokens', 'ttft_ms'], outputDim: undefined }).inputs), [[2, 42]]);
  assert.equal(code(() => c.decode(stream(noUsage), ALL)), 'VIGIL_MONITOR_MISSING_FEATURE');
  assert.equal(code(() => c.decode(stream(parts.slice(0, 5)), ALL)), 'VIGIL_MONITOR_BAD_BODY', 'no [DONE]');
  assert.equal(code(() => c.decode(stream([...parts.slice(0, 4), ['event: error\ndata: {"message": "overloaded"}\n\n', 45]]), ALL)), 'VIGIL_MONITOR_BAD_BODY');
  assert.equal(code(() => c.decode(stream(parts), { features: ['prompt_tokens', 'colour'], outputDim: undefined })), 'VIGIL_MONITOR_UNKNOWN_FEATURE');
  // A JSON answer: TTFT is its first byte; an unknown finish_reason is counted as other.
  const json = { ...exchange('/v1/completions', {}, { choices: [{ text: 'x', finish_reason: 'eos_token' }], usage: { prompt_tokens: 3, completion_tokens: 1 } }), firstByteMs: 30, durationMs: 31 };
  const j = c.decode(json, ALL);
  assert.deepEqual(rows(j.inputs), [[3, 1, 30, 31]]);
  assert.deepEqual(j.categorical, { finish_reason: ['other'] });
  const emb = readOpenAiExchange({ ...exchange('/v1/embeddings', { input: ['a', 'b'] }, { data: [{ embedding: [0.1, 0.2] }, { embedding: [0.3, 0.4] }], usage: { prompt_tokens: 2 } }), durationMs: 4 });
  assert.deepEqual(emb.values, { prompt_tokens: 2, duration_ms: 4 });
  assert.deepEqual(emb.embeddings, [[0.1, 0.2], [0.3, 0.4]]);
});
