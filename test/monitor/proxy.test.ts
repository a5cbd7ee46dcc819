import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { MonitorService } from '../../monitor/service.ts';
import { TOKENS, gaussianRows, linearModel, startTestMonitor, writeReference } from './helpers.ts';

const D = 4;

/** An upstream that echoes what it received and answers as told by x-test-* headers. */
async function startEchoUpstream(): Promise<{ url: string; server: Server; received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] }> {
  const received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    if (req.headers['x-test-reset']) { req.socket.destroy(); return; }
    const delay = Number(req.headers['x-test-delay-ms'] ?? 0);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const status = Number(req.headers['x-test-status'] ?? 200);
    let answer: string;
    try {
      const inputs = (JSON.parse(body) as { inputs: number[][] }).inputs;
      answer = JSON.stringify({ outputs: inputs.map(() => [0.25, 0.75]), echoed: body.length });
    } catch {
      answer = `{"raw": ${JSON.stringify(body)}}`;
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-upstream': 'echo', 'set-cookie': ['a=1', 'b=2'] });
    res.end(answer);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, received };
}

let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let svc: MonitorService;

before(async () => {
  upstream = await startEchoUpstream();
  svc = await startTestMonitor({ reference: writeReference(gaussianRows(60, D, 2)), upstream: upstream.url, upstreamTimeout: '300ms', window: 100, evaluateEvery: 1_000_000, evaluateInterval: '1h' }, { model: linearModel(D) });
});
after(async () => {
  await svc.close();
  upstream.server.closeAllConnections();
  upstream.server.close();
});

test('proxy forwards method, path, query, headers and body unchanged, and answers with the upstream reply unchanged', async () => {
  const body = JSON.stringify({ inputs: [[1, 2, 3, 4], [5, 6, 7, 8]] });
  const via = await fetch(`${svc.url}/predict?version=3&x=%20y`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: 'Bearer the-models-own-token', 'x-request-id': 'abc-123' } });
  const seen = upstream.received.at(-1);
  assert.ok(seen);
  assert.equal(seen.method, 'POST');
  assert.equal(seen.url, '/predict?version=3&x=%20y');
  assert.equal(seen.body, body);
  assert.equal(seen.headers.authorization, 'Bearer the-models-own-token');
  assert.equal(seen.headers['x-request-id'], 'abc-123');
  assert.equal(seen.headers['content-type'], 'application/json');
  const direct = await fetch(`${upstream.url}/predict`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  assert.equal(via.status, direct.status);
  assert.equal(await via.text(), await direct.text());
  assert.equal(via.headers.get('content-type'), direct.headers.get('content-type'));
  assert.equal(via.headers.get('x-upstream'), 'echo');
  assert.deepEqual(via.headers.getSetCookie(), ['a=1', 'b=2']);
});

test('upstream status codes pass through unchanged (4xx, 5xx) and are counted by code', async () => {
  for (const status of [201, 404, 422, 500, 503]) {
    const res = await fetch(`${svc.url}/predict`, { method: 'POST', body: '{"inputs": [[1,2,3,4]]}', headers: { 'content-type': 'application/json', 'x-test-status': String(status) } });
    assert.equal(res.status, status);
    assert.match(await res.text(), /outputs/);
  }
  const metrics = await svc.registry.getSingleMetricAsString('vigil_upstream_requests_total');
  for (const code of ['201', '404', '422', '500', '503']) assert.match(metrics, new RegExp(`vigil_upstream_requests_total\\{[^}]*code="${code}"[^}]*\\} 1`));
  assert.match(metrics, /route="\/predict"/);
  assert.match(metrics, /model="none"|model="/);
});

test('a reset upstream connection becomes 502, an upstream slower than the timeout 504, each with a coded body', async () => {
  const reset = await fetch(`${svc.url}/predict`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-test-reset': '1' } });
  assert.equal(reset.status, 502);
  assert.equal(((await reset.json()) as { code: string }).code, 'VIGIL_MONITOR_UPSTREAM_ERROR');
  const slow = await fetch(`${svc.url}/predict`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-test-delay-ms': '1500' } });
  assert.equal(slow.status, 504);
  const json = (await slow.json()) as { code: string; message: string; statusCode: number };
  assert.equal(json.code, 'VIGIL_MONITOR_UPSTREAM_TIMEOUT');
  assert.equal(json.statusCode, 504);
  assert.match(json.message, /300 ms/);
  const metrics = await svc.registry.getSingleMetricAsString('vigil_upstream_requests_total');
  assert.match(metrics, /code="error"/);
  assert.match(metrics, /code="timeout"/);
});

test('proxied inputs and outputs are observed off the request path; unreadable bodies are counted, not failed', async () => {
  await fetch(`${svc.url}/v1/reset`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.admin}` } });
  const seen = once(svc.engine, 'observed');
  const res = await fetch(`${svc.url}/predict`, { method: 'POST', body: JSON.stringify({ inputs: [[1, 2, 3, 4], [0, 0, 0, 0], [1, 1, 1, 1]] }), headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 200);
  await seen;
  assert.equal(svc.engine.windowPushed, 3);
  const rejectedEvent = once(svc.engine, 'rejected');
  const bad = await fetch(`${svc.url}/predict`, { method: 'POST', body: '{"inputs": [[1, 2]]}', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 200, 'the client gets the upstream answer even when the monitor cannot use the body');
  assert.deepEqual(await rejectedEvent, ['VIGIL_MONITOR_WRONG_SHAPE', 'proxy']);
  const rejected = await svc.registry.getSingleMetricAsString('vigil_observations_rejected_total');
  assert.match(rejected, /source="proxy"[^}]*code="VIGIL_MONITOR_WRONG_SHAPE"|code="VIGIL_MONITOR_WRONG_SHAPE"[^}]*source="proxy"/);
  assert.equal(svc.engine.windowPushed, 3);
});

test('a client sending Expect: 100-continue (curl does above 1 KiB) gets the upstream answer', async () => {
  const body = JSON.stringify({ inputs: Array.from({ length: 100 }, () => [1, 2, 3, 4]) });
  const { request: httpRequest } = await import('node:http');
  const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(`${svc.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('continue', () => req.end(body));
    req.on('error', reject);
  });
  assert.equal(answer.status, 200);
  assert.equal((JSON.parse(answer.text) as { outputs: unknown[] }).outputs.length, 100);
  assert.equal(upstream.received.at(-1)?.body, body);
});

test('a request body that arrives in pieces (chunked, no content-length) is forwarded byte-identical and observed whole', async () => {
  // A monitor of its own: no exchange of an earlier test is still waiting to be observed.
  const own = await startTestMonitor({ reference: writeReference(gaussianRows(60, D, 2)), upstream: upstream.url, window: 1000, evaluateEvery: 1_000_000, evaluateInterval: '1h' }, { model: linearModel(D) });
  try {
    const rows = gaussianRows(300, D, 7).map((r) => r.map((v) => Number(v.toFixed(6))));
    const body = JSON.stringify({ inputs: rows });
    const pieces = [body.slice(0, 7), body.slice(7, 1000), body.slice(1000, 4000), body.slice(4000)];
    const { request: httpRequest } = await import('node:http');
    const seen = once(own.engine, 'observed');
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(`${own.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      // Each piece is its own chunk on the wire; the proxy forwards them as they come.
      void (async () => {
        for (const p of pieces) { req.write(p); await new Promise((r) => setTimeout(r, 5)); }
        req.end();
      })();
    });
    assert.equal(answer.status, 200);
    assert.equal(upstream.received.at(-1)?.body, body);
    assert.equal(upstream.received.at(-1)?.headers['content-length'], undefined, 'sent on as it came (chunked)');
    assert.deepEqual(await seen, [300, 'proxy']);
    assert.equal(own.engine.windowPushed, 300);
  } finally {
    await own.close();
  }
});
