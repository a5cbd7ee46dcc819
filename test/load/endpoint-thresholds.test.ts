import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { parseThreshold, resolveLoadOptions, runLoad } from '../../load/index.ts';
import { k6Thresholds } from '../../load/k6/thresholds.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

test('per-endpoint thresholds p99{name:predict}<250ms judge one endpoint; an unknown endpoint fails as n/a', async (t) => {
  // /predict answers after 30 ms, /healthz at once: the per-endpoint values must be the endpoint's, not the run's.
  const server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 30 } });
  t.after(() => server.close());
  const options = resolveLoadOptions({
    target: server.url, replay: join(REPO_ROOT, 'examples/example.jsonl'), connections: '2', requests: '40', progress: 'none',
    threshold: ['p50{name:predict}>=30ms', 'p50{name:GET /healthz}<30ms', 'error_rate{name:predict}<1%', 'qps{name:predict}>0', 'p99{name:nope}<1s'],
  });
  const r = await runLoad(options);
  const predict = r.endpoints.predict;
  assert.ok(predict && r.endpoints['GET /healthz']);
  assert.deepEqual(r.thresholds.map((x) => [x.expr, x.ok]), [
    ['p50{name:predict}>=30ms', true], ['p50{name:GET /healthz}<30ms', true], ['error_rate{name:predict}<1%', true], ['qps{name:predict}>0', true], ['p99{name:nope}<1s', false],
  ]);
  assert.equal(r.thresholds[0]?.value, predict.latencyMs.p50);
  assert.equal(r.thresholds[3]?.value, Math.round((predict.requests / r.summary.durationS) * 1000) / 1000);
  assert.ok(Number.isNaN(r.thresholds[4]?.value));
});

test('per-endpoint thresholds: parsing (table) and k6 export as k6 sub-metrics', () => {
  assert.deepEqual(parseThreshold('p99{name:predict}<250ms'), { expr: 'p99{name:predict}<250ms', metric: 'p99', op: '<', limit: 250, unit: 'ms', endpoint: 'predict' });
  assert.equal(parseThreshold('error_rate{name:GET /v1/items/:id}<1%').endpoint, 'GET /v1/items/:id');
  assert.equal(parseThreshold('p99<250ms').endpoint, undefined);
  assert.throws(() => parseThreshold('goodput{name:x}>1'), { code: 'VIGIL_LOAD_BAD_THRESHOLD' });
  assert.deepEqual(k6Thresholds(['p99{name:predict}<250ms', 'p99<300ms'], 'scenario:main'), {
    'http_req_duration{scenario:main,name:predict}': ['p(99)<250'], 'http_req_duration{scenario:main}': ['p(99)<300'],
  });
});
