import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request } from 'undici';
import { startV2Server } from '../../fixtures/servers/serving/v2.ts';
import { startTfServingServer } from '../../fixtures/servers/serving/tfserving.ts';
import { CloudEventsSource } from '../../monitor/http/cloudevents.ts';
import { createLogger } from '../../monitor/logger.ts';
import { datasetRows, startTestMonitor, TOKENS } from './helpers.ts';

const MODEL = 'fixtures/models/classifier.onnx';
const ROWS = datasetRows('fixtures/datasets/current-clean.jsonl');

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await request(url, { method: 'POST', body, headers });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

const binary = (id: string, kind: 'request' | 'response') => ({
  'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': 'http://localhost:9081/', 'ce-time': new Date().toISOString(),
  'ce-type': `org.kubeflow.serving.inference.${kind}`, 'ce-inferenceservicename': 'classifier', 'ce-namespace': 'default', 'ce-endpoint': 'default',
  authorization: `Bearer ${TOKENS.ingest}`,
});
const structured = (id: string, kind: 'request' | 'response', data: unknown) => JSON.stringify({ specversion: '1.0', id, source: 'kserve', type: `org.kubeflow.serving.inference.${kind}`, datacontenttype: 'application/json', data });

test('KServe payload logger events (binary and structured mode, either order, V2 and V1 payloads) are paired by ce-id and observed with parity', async () => {
  const v2 = await startV2Server({ model: MODEL });
  const tf = await startTfServingServer({ model: MODEL });
  const svc = await startTestMonitor({ reference: 'fixtures/datasets/reference.jsonl', model: MODEL, window: 1000, evaluateEvery: 1_000_000, evaluateInterval: '1h' });
  try {
    const url = `${svc.url}/v1/cloudevents`;
    let sent = 0;
    const v2Pair = async (n: number) => {
      const req = JSON.stringify({ inputs: [{ name: 'features', shape: [n, 16], datatype: 'FP32', data: ROWS.slice(sent, sent + n).flat() }] });
      sent += n;
      const res = await (await request(`${v2.url}/v2/models/classifier/infer`, { method: 'POST', body: req })).body.text();
      return { req, res };
    };
    // binary mode, request then response
    const a = await v2Pair(10);
    assert.deepEqual((await post(url, a.req, binary('a', 'request'))).json, { accepted: 'request', paired: false });
    assert.deepEqual((await post(url, a.res, binary('a', 'response'))).json, { accepted: 'response', paired: true });
    // structured mode, response first
    const b = await v2Pair(6);
    const sHeaders = { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${TOKENS.ingest}` };
    assert.equal((await post(url, structured('b', 'response', JSON.parse(b.res)), sHeaders)).status, 202);
    assert.deepEqual((await post(url, structured('b', 'request', JSON.parse(b.req)), sHeaders)).json, { accepted: 'request', paired: true });
    // V1 payloads (instances → predictions), as a TF Serving / sklearn V1 server logs them; data_base64
    const rows = ROWS.slice(sent, sent + 8);
    sent += 8;
    const v1Req = JSON.stringify({ instances: rows });
    const v1Res = await (await request(`${tf.url}/v1/models/classifier:predict`, { method: 'POST', body: v1Req })).body.text();
    await post(url, v1Req, binary('c', 'request'));
    await post(url, JSON.stringify({ specversion: '1.0', id: 'c', source: 'kserve', type: 'org.kubeflow.serving.inference.response', data_base64: Buffer.from(v1Res).toString('base64') }), sHeaders);
    await new Promise<void>((resolve) => { const check = () => { if (svc.engine.windowPushed >= sent) resolve(); else setTimeout(check, 10); }; check(); });
    assert.equal(svc.engine.windowPushed, sent);
    const e = await svc.engine.evaluate();
    assert.equal(e?.parity?.samples, sent);
    assert.equal(e?.parity?.maxAbsDiff, 0);
    const observed = await svc.registry.getSingleMetricAsString('vigil_observations_total');
    assert.match(observed, new RegExp(`source="cloudevents"\\} ${sent}`));

    // refused: no token, a viewer token, an unknown type, a missing id
    assert.equal((await post(url, a.req, { ...binary('x', 'request'), authorization: '' })).status, 401);
    assert.equal((await post(url, a.req, { ...binary('x', 'request'), authorization: `Bearer ${TOKENS.viewer}` })).status, 403);
    const badType = await post(url, a.req, { ...binary('x', 'request'), 'ce-type': 'com.example.other' });
    assert.deepEqual([badType.status, badType.json.code], [400, 'VIGIL_MONITOR_BAD_BODY']);
    assert.match(String(badType.json.message), /ce-type/);
    const noId = await post(url, a.req, { ...binary('', 'request') });
    assert.deepEqual([noId.status, noId.json.code], [400, 'VIGIL_MONITOR_BAD_BODY']);
  } finally {
    await svc.close();
    await v2.close();
    await tf.close();
  }
});

test('a request event whose response never comes is observed alone after the pairing timeout; a lone response is counted unpaired', async () => {
  const svc = await startTestMonitor({ reference: 'fixtures/datasets/reference.jsonl', window: 100, evaluateEvery: 1_000_000, evaluateInterval: '1h' });
  try {
    const source = new CloudEventsSource(svc.engine, createLogger('silent'), {}, 50);
    const observed = once(svc.engine, 'observed');
    source.accept({ id: 'lost', kind: 'request', data: Buffer.from(JSON.stringify({ instances: ROWS.slice(0, 3) })) });
    assert.equal(source.waiting, 1);
    assert.deepEqual(await observed, [3, 'cloudevents']);
    const rejected = once(svc.engine, 'rejected');
    source.accept({ id: 'orphan', kind: 'response', data: Buffer.from('{"predictions": [[1, 0, 0]]}') });
    assert.deepEqual(await rejected, ['VIGIL_MONITOR_CLOUDEVENT_UNPAIRED', 'cloudevents']);
    assert.equal(source.waiting, 0);
  } finally {
    await svc.close();
  }
});
