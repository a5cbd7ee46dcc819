import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { request } from 'undici';
import { startV2Server } from '../../fixtures/servers/serving/v2.ts';
import { startTfServingServer } from '../../fixtures/servers/serving/tfserving.ts';
import type { ServingServer } from '../../fixtures/servers/serving/model.ts';
import type { MonitorService } from '../../monitor/service.ts';
import type { MonitorEngine } from '../../monitor/engine.ts';
import { datasetRows, startTestMonitor } from './helpers.ts';

const MODEL = 'fixtures/models/classifier.onnx';
const REFERENCE = 'fixtures/datasets/reference.jsonl';
const ROWS = datasetRows('fixtures/datasets/current-clean.jsonl');
const FEATURES = Array.from({ length: 16 }, (_, j) => `f${j}`);

/** Resolves once the engine's windows have taken `n` rows in all. */
function untilPushed(engine: MonitorEngine, n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => { if (engine.windowPushed >= n) { engine.off('observed', check); resolve(); } };
    engine.on('observed', check);
    check();
  });
}

/** Sends one request directly and through the monitor; the two answers must be byte-identical. */
async function sameAnswer(direct: string, via: string, path: string, init: { method?: string; body?: Buffer | string; headers?: Record<string, string> }): Promise<Buffer> {
  const send = async (base: string) => {
    // undici's request, not fetch: the bytes as sent (fetch would undo a gzip encoding)
    const res = await request(base + path, { method: (init.method ?? 'POST') as 'POST', headers: init.headers ?? { 'content-type': 'application/json' }, ...(init.body !== undefined ? { body: init.body } : {}) });
    return { status: res.statusCode, type: res.headers['content-type'], encoding: res.headers['content-encoding'], bytes: Buffer.from(await res.body.arrayBuffer()) };
  };
  const a = await send(direct);
  const b = await send(via);
  assert.equal(b.status, a.status, path);
  assert.equal(b.type, a.type, path);
  assert.equal(b.encoding, a.encoding, path);
  assert.ok(b.bytes.equals(a.bytes), `${path}: the answer through the monitor differs from the direct one`);
  return b.bytes;
}

function binaryRequest(rows: number[][], binaryOutput: boolean): { body: Buffer; headerLength: number } {
  const x = Float32Array.from(rows.flat());
  const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'features', shape: [rows.length, 16], datatype: 'FP32', parameters: { binary_data_size: x.byteLength } }], ...(binaryOutput ? { parameters: { binary_data_output: true } } : {}) }));
  return { body: Buffer.concat([header, Buffer.from(x.buffer)]), headerLength: header.length };
}

async function parityOk(svc: MonitorService, samples: number): Promise<void> {
  const e = await svc.engine.evaluate();
  assert.ok(e?.parity, 'an evaluation with parity');
  assert.equal(e.parity.samples, samples);
  assert.equal(e.parity.maxAbsDiff, 0, 'deployed answers equal the reference model\'s');
  assert.equal(e.parity.degraded, false);
  const rejected = await svc.registry.getSingleMetricAsString('vigil_observations_rejected_total');
  assert.doesNotMatch(rejected, /source="proxy"/, 'no exchange rejected');
}

let v2: ServingServer;
let tf: ServingServer;
before(async () => {
  v2 = await startV2Server({ model: MODEL });
  tf = await startTfServingServer({ model: MODEL });
});
after(async () => {
  await v2.close();
  await tf.close();
});

test('kserve-v2 in front of a V2 server: JSON flat/nested, binary both ways, one tensor per feature, versions, gzip both ways — answers byte-identical, every row observed, parity ok', async () => {
  const svc = await startTestMonitor({ reference: REFERENCE, model: MODEL, upstream: v2.url, proxy: { protocol: 'kserve-v2' }, window: 1000, evaluateEvery: 1_000_000, evaluateInterval: '1h' });
  try {
    const infer = '/v2/models/classifier/infer';
    let sent = 0;
    const batch = (k: number) => { const rows = ROWS.slice(sent, sent + k); sent += k; return rows; };
    const json = { 'content-type': 'application/json' };
    // flat data
    let rows = batch(15);
    await sameAnswer(v2.url, svc.url, infer, { body: JSON.stringify({ id: 'a', inputs: [{ name: 'features', shape: [15, 16], datatype: 'FP32', data: rows.flat() }] }), headers: json });
    // nested data, a version in the path
    rows = batch(3);
    await sameAnswer(v2.url, svc.url, '/v2/models/classifier/versions/1/infer', { body: JSON.stringify({ inputs: [{ name: 'features', shape: [3, 16], datatype: 'FP64', data: rows }] }), headers: json });
    // MLServer pd: one tensor per feature, [n, 1]
    rows = batch(4);
    const pd = FEATURES.map((f, j) => ({ name: f, shape: [4, 1], datatype: 'FP64', data: rows.map((r) => [r[j]]) }));
    await sameAnswer(v2.url, svc.url, infer, { body: JSON.stringify({ inputs: pd }), headers: json });
    // binary tensors in, binary out
    rows = batch(6);
    const bin = binaryRequest(rows, true);
    const answer = await sameAnswer(v2.url, svc.url, infer, { body: bin.body, headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(bin.headerLength) } });
    assert.ok(answer.length > 6 * 3 * 4, 'a binary answer');
    // binary in, JSON out, the request gzip'ed and the answer too
    rows = batch(2);
    const binJson = binaryRequest(rows, false);
    const gz = await sameAnswer(v2.url, svc.url, infer, { body: gzipSync(binJson.body), headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip', 'accept-encoding': 'gzip', 'inference-header-content-length': String(binJson.headerLength) } });
    assert.equal((JSON.parse(gunzipSync(gz).toString()) as { outputs: { shape: number[] }[] }).outputs[0]?.shape.join(), '2,3');
    // other V2 paths are forwarded, not observed
    await sameAnswer(v2.url, svc.url, '/v2/health/ready', { method: 'GET' });
    await sameAnswer(v2.url, svc.url, '/v2/models/classifier', { method: 'GET' });
    await sameAnswer(v2.url, svc.url, '/v2/models/nope/infer', { body: '{}', headers: json });
    await untilPushed(svc.engine, sent);
    assert.equal(svc.engine.windowPushed, sent);
    await parityOk(svc, sent);
    const status = (await (await fetch(`${svc.url}/v1/status`, { headers: { authorization: 'Bearer viewer-token-123' } })).json()) as { proxy: { protocol: string } };
    assert.equal(status.proxy.protocol, 'kserve-v2');
  } finally {
    await svc.close();
  }
});

test('tfserving in front of a TF-Serving-shaped server: instances and inputs, versions and labels, gzip — answers byte-identical, every row observed, parity ok', async () => {
  const svc = await startTestMonitor({ reference: REFERENCE, model: MODEL, upstream: tf.url, proxy: { protocol: 'tfserving' }, window: 1000, evaluateEvery: 1_000_000, evaluateInterval: '1h' });
  try {
    let sent = 0;
    const batch = (k: number) => { const rows = ROWS.slice(sent, sent + k); sent += k; return rows; };
    const json = { 'content-type': 'application/json' };
    await sameAnswer(tf.url, svc.url, '/v1/models/classifier:predict', { body: JSON.stringify({ instances: batch(15) }), headers: json });
    await sameAnswer(tf.url, svc.url, '/v1/models/classifier/versions/1:predict', { body: JSON.stringify({ signature_name: 'serving_default', inputs: batch(3) }), headers: json });
    await sameAnswer(tf.url, svc.url, '/v1/models/classifier/labels/stable:predict', { body: gzipSync(JSON.stringify({ instances: batch(4) })), headers: { ...json, 'content-encoding': 'gzip', 'accept-encoding': 'gzip' } });
    await sameAnswer(tf.url, svc.url, '/v1/models/classifier', { method: 'GET' });
    await untilPushed(svc.engine, sent);
    assert.equal(svc.engine.windowPushed, sent);
    await parityOk(svc, sent);
  } finally {
    await svc.close();
  }
});
