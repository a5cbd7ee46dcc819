import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MonitorService } from '../../monitor/service.ts';
import { isVigilError } from '../../common/errors.ts';
import { parseMonitorConfig } from '../../monitor/config.ts';
import { startMonitor } from '../../monitor/service.ts';
import { TOKENS, call, gaussianRows, linearModel, startTestMonitor, writeReference } from './helpers.ts';

const D = 4;
let svc: MonitorService;
let reference: string;

before(async () => {
  reference = writeReference(gaussianRows(100, D, 1));
  svc = await startTestMonitor({ reference, window: 50, evaluateEvery: 1_000_000, evaluateInterval: '1h', bodyLimit: '16KiB', watch: { gpu: true } }, { model: linearModel(D) }); // gpu on: the collector series exists (0 here, without nvidia-smi)
});
after(async () => { await svc.close(); });

type Who = 'none' | 'viewer' | 'ingest' | 'admin';
const WHO: Who[] = ['none', 'viewer', 'ingest', 'admin'];
const row = (): number[] => [0.1, 0.2, 0.3, 0.4];

test('auth matrix: every endpoint × {no token, viewer, ingest, admin}', async () => {
  const endpoints: { method: string; path: string; body?: unknown; expect: Record<Who, number> }[] = [
    { method: 'GET', path: '/healthz', expect: { none: 200, viewer: 200, ingest: 200, admin: 200 } },
    { method: 'GET', path: '/readyz', expect: { none: 200, viewer: 200, ingest: 200, admin: 200 } },
    { method: 'GET', path: '/metrics', expect: { none: 200, viewer: 200, ingest: 200, admin: 200 } },
    { method: 'GET', path: '/', expect: { none: 200, viewer: 200, ingest: 200, admin: 200 } },
    { method: 'GET', path: '/assets/chart.js', expect: { none: 200, viewer: 200, ingest: 200, admin: 200 } },
    { method: 'GET', path: '/v1/status', expect: { none: 401, viewer: 200, ingest: 200, admin: 200 } },
    { method: 'GET', path: '/v1/drift', expect: { none: 401, viewer: 200, ingest: 200, admin: 200 } },
    { method: 'GET', path: '/v1/traffic', expect: { none: 401, viewer: 200, ingest: 200, admin: 200 } },
    { method: 'POST', path: '/v1/observations', body: { inputs: [row()] }, expect: { none: 401, viewer: 403, ingest: 200, admin: 200 } },
    { method: 'PUT', path: '/v1/reference', body: { inputs: gaussianRows(30, D, 9) }, expect: { none: 401, viewer: 403, ingest: 403, admin: 200 } },
    { method: 'POST', path: '/v1/reset', expect: { none: 401, viewer: 403, ingest: 403, admin: 200 } },
  ];
  for (const e of endpoints) {
    for (const who of WHO) {
      const res = await call(svc.url + e.path, { method: e.method, ...(who === 'none' ? {} : { token: TOKENS[who] }), ...(e.body ? { body: e.body } : {}) });
      assert.equal(res.status, e.expect[who], `${e.method} ${e.path} as ${who}: ${res.text.slice(0, 200)}`);
      if (res.status === 401) assert.equal((res.json as { code: string }).code, 'VIGIL_MONITOR_UNAUTHORIZED');
      if (res.status === 403) assert.equal((res.json as { code: string }).code, 'VIGIL_MONITOR_FORBIDDEN');
    }
  }
  const wrong = await call(`${svc.url}/v1/status`, { token: 'not-a-token' });
  assert.equal(wrong.status, 401);
});

test('status and /metrics carry the resource watcher: own memory, GPU collection, model label', async () => {
  assert.ok(svc.watcher);
  await svc.watcher.sampleNow();
  const metrics = await svc.registry.metrics();
  const rss = Number(/^vigil_memory_bytes\{target="self",kind="rss",model="linear"\} (\d+)$/m.exec(metrics)?.[1]);
  assert.ok(rss > 10 * 2 ** 20, `own RSS ${rss}`);
  assert.match(metrics, /^vigil_gpu_collect_success\{model="linear"\} [01]$/m);
  const status = (await call(`${svc.url}/v1/status`, { token: TOKENS.viewer })).json as { gpu: { visible: boolean }; memory: { rssBytes: number; watched: { target: string }[] }; uptimeSeconds: number; windows: { capacity: number } };
  assert.equal(typeof status.gpu.visible, 'boolean');
  assert.ok(status.memory.rssBytes > 0);
  assert.ok(status.memory.watched.length === 0 || status.memory.watched.some((w) => w.target === 'self'));
  assert.equal(status.windows.capacity, 50);
});

test('/metrics requires a viewer token when metricsAuth is set', async () => {
  const s = await startTestMonitor({ reference, metricsAuth: true });
  try {
    assert.equal((await call(`${s.url}/metrics`)).status, 401);
    assert.equal((await call(`${s.url}/metrics`, { token: TOKENS.viewer })).status, 200);
  } finally { await s.close(); }
});

test('refuses to start with no token unless insecureNoAuth', async () => {
  const cfg = parseMonitorConfig({ reference, port: 0, logLevel: 'silent' });
  await assert.rejects(startMonitor(cfg, { env: {} }), (err) => isVigilError(err) && err.code === 'VIGIL_MONITOR_NO_TOKENS');
  const open = await startMonitor(parseMonitorConfig({ reference, port: 0, logLevel: 'silent', insecureNoAuth: true }), { env: {} });
  try {
    assert.equal((await call(`${open.url}/v1/status`)).status, 200);
  } finally { await open.close(); }
});

test('bad requests get coded 400/413/415/404 replies and leave the window untouched', async () => {
  await call(`${svc.url}/v1/reset`, { method: 'POST', token: TOKENS.admin });
  const before = svc.engine.windowPushed;
  const obs = `${svc.url}/v1/observations`;
  const cases: { raw: string; contentType?: string; status: number; code: string }[] = [
    { raw: '{"inputs": [[1,2,3]]}', status: 400, code: 'VIGIL_MONITOR_WRONG_SHAPE' },
    { raw: '{"inputs": [[1,2,3,"Infinity"]]}', status: 400, code: 'VIGIL_MONITOR_NON_FINITE' },
    { raw: '{"inputs": [[1,2,3,1e999]]}', status: 400, code: 'VIGIL_MONITOR_NON_FINITE' },
    { raw: '{"inputs": [{"f0":1,"f1":2,"f2":3,"f9":4}]}', status: 400, code: 'VIGIL_MONITOR_UNKNOWN_FEATURE' },
    { raw: '{"inputs": [[1,2,3,4]], "outputs": [[1,2,3]]}', status: 400, code: 'VIGIL_MONITOR_WRONG_SHAPE' },
    { raw: '{"inputs": [[1,2,3,4]', status: 400, code: 'VIGIL_MONITOR_BAD_JSON' },
    { raw: '"just a string"', status: 400, code: 'VIGIL_MONITOR_BAD_JSON' },
    { raw: '{"inputs": [[1,2,3,4]]}', contentType: 'text/plain', status: 415, code: 'VIGIL_MONITOR_UNSUPPORTED_MEDIA_TYPE' },
    { raw: JSON.stringify({ inputs: gaussianRows(400, D, 3) }), status: 413, code: 'VIGIL_MONITOR_BODY_TOO_LARGE' },
  ];
  for (const c of cases) {
    const res = await call(obs, { method: 'POST', token: TOKENS.ingest, raw: c.raw, ...(c.contentType ? { contentType: c.contentType } : {}) });
    assert.equal(res.status, c.status, c.raw.slice(0, 80));
    assert.deepEqual(Object.keys(res.json as object).sort(), ['code', 'error', 'message', 'statusCode']);
    assert.equal((res.json as { code: string }).code, c.code, c.raw.slice(0, 80));
  }
  assert.equal((await call(`${svc.url}/v1/nothing`, { token: TOKENS.admin })).status, 404);
  assert.equal(svc.engine.windowPushed, before);
  const ok = await call(obs, { method: 'POST', token: TOKENS.ingest, body: { inputs: [row(), row()], outputs: [[0.5, 0.5], [0.4, 0.6]] } });
  assert.deepEqual(ok.json, { accepted: 2, windowSamples: before + 2 });
});

test('fuzzing /v1/observations: never a 5xx, rejected bodies never change the window', async () => {
  await call(`${svc.url}/v1/reset`, { method: 'POST', token: TOKENS.admin });
  const num = fc.oneof(fc.double(), fc.integer(), fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '1', ''), fc.constant(null), fc.boolean());
  const junk = fc.jsonValue({ maxDepth: 4 });
  const rowArb = fc.oneof(
    fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: D, maxLength: D }),
    fc.array(num, { minLength: 0, maxLength: 6 }),
    fc.dictionary(fc.constantFrom('f0', 'f1', 'f2', 'f3', 'f4', '__proto__', 'constructor'), num),
    junk,
  );
  const body = fc.oneof(
    fc.record({ inputs: fc.array(rowArb, { maxLength: 5 }) }),
    fc.record({ inputs: fc.array(rowArb, { maxLength: 4 }), outputs: fc.array(fc.array(num, { maxLength: 3 }), { maxLength: 4 }) }, { requiredKeys: [] }),
    fc.record({ inputs: fc.array(rowArb, { maxLength: 3 }), ids: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }) }),
    fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 4 }),
    junk,
  );
  // Bodies are serialised by hand so numbers like 1e999 reach the parser as text.
  const text = body.map((b) => JSON.stringify(b).replace(/"1e999"/g, '1e999'));
  let accepted = 0;
  // Sequentially first (fast-check shrinks a failure to a minimal body) ...
  await fc.assert(fc.asyncProperty(text, async (raw) => {
    const pushed = svc.engine.windowPushed;
    const res = await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, raw });
    assert.ok(res.status < 500, `${res.status} for ${raw.slice(0, 200)}: ${res.text.slice(0, 200)}`);
    if (res.status === 200) {
      accepted++;
      assert.equal(svc.engine.windowPushed, pushed + (res.json as { accepted: number }).accepted);
    } else {
      assert.equal(res.status, 400, raw.slice(0, 200));
      assert.match((res.json as { code: string }).code, /^VIGIL_MONITOR_/);
      assert.equal(svc.engine.windowPushed, pushed, `window changed by a rejected body: ${raw.slice(0, 200)}`);
    }
  }), { numRuns: 600, seed: 20261122 });
  // ... then 3,000 more, 16 in flight: the window grows by exactly the rows of accepted bodies.
  const bodies = fc.sample(text, { numRuns: 3000, seed: 7 });
  const start = svc.engine.windowPushed;
  let acceptedRows = 0;
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < bodies.length) {
      const raw = bodies[next++] as string;
      const res = await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, raw });
      assert.ok(res.status === 200 || res.status === 400, `${res.status} for ${raw.slice(0, 200)}`);
      if (res.status === 200) { accepted++; acceptedRows += (res.json as { accepted: number }).accepted; }
    }
  }));
  assert.equal(svc.engine.windowPushed - start, acceptedRows);
  assert.ok(accepted > 20, `the generator must also produce valid bodies (got ${accepted})`);
  assert.equal((await call(`${svc.url}/healthz`)).status, 200);
});
