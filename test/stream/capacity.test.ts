import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLlmServer } from '../../fixtures/servers/index.ts';
import { resolveCapacityOptions, stepLoadOptions, type CapacityResult } from '../../load/capacity/index.ts';
import { isVigilError } from '../../common/errors.ts';
import { runVigil, testOutputDir } from '../helpers/cli.ts';

const K = 4;
const BODY = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 20, stream: true, stream_options: { include_usage: true } });

test('vigil capacity with a TTFT SLO finds the rate whose goodput attainment stays ≥ 95 % on a max-batch LLM server', async (t) => {
  // 20 ms prefill + 19 × 5 ms decode per answer, 4 at a time: ~35 answers/s at most; beyond, the
  // queue grows, TTFT with it, and the share of answers within ttft<100ms falls.
  const server = await startLlmServer({ ttft: { kind: 'fixed', ms: 20 }, itl: { kind: 'fixed', ms: 5 }, maxBatch: K, seed: 4 });
  t.after(() => server.close());
  const dir = testOutputDir('stream-capacity');
  const run = await runVigil(['capacity', '--target', server.url, '--path', '/v1/chat/completions', '--body', BODY,
    '--slo', 'ttft<100ms', '--min-attainment', '95%', '--start-rate', '12', '--growth', '1.7', '--step-duration', '1500ms', '--settle', '300ms',
    '--refinements', '2', '--confirm', '0', '--out', join(dir, 'capacity.json')]);
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(readFileSync(join(dir, 'capacity.json'), 'utf8')) as CapacityResult;
  // The truth from the server's records: each answer held a batch slot for its prefill and decode.
  const recs = server.records().filter((x) => x.outcome === 'ok');
  const held = recs.map((x) => (x.ttftMs as number) - x.queueMs + x.gapsMs.reduce((a, b) => a + b, 0));
  const capacity = K / (held.reduce((a, b) => a + b, 0) / held.length / 1000);
  t.diagnostic(`found ${r.maxSustainableQps} req/s; K / mean(slot time ${(K * 1000 / capacity).toFixed(1)} ms) = ${capacity.toFixed(1)} req/s; nominal K/115 ms = ${(K / 0.115).toFixed(1)}`);
  assert.ok(r.maxSustainableQps !== null);
  assert.ok(r.maxSustainableQps >= 0.6 * capacity && r.maxSustainableQps <= 1.1 * (K / 0.115), `found ${r.maxSustainableQps}`);
  assert.equal(r.minAttainment, 0.95);
  assert.deepEqual(r.slo, ['ttft<100ms']);
  const failed = r.steps.filter((s) => !s.ok && !s.superseded);
  assert.ok(failed.length > 0);
  for (const s of r.steps) {
    assert.ok(s.stream?.attainment !== undefined, 'every step reports its attainment');
    const judged = s.slo.find((x) => x.expr === 'slo_attainment>=95%');
    assert.ok(judged, 'the attainment is judged as a threshold');
    assert.equal(judged.ok, (s.stream.attainment as number) >= 0.95);
    assert.equal(s.failures.includes('slo'), !judged.ok);
  }
  assert.match(run.stdout, /TTFT P99 \(ms\) \| TPOT P50 \(ms\) \| tokens\/s \| goodput \(req\/s\) \| attainment \|/);
  assert.match(run.stdout, /at least 95 % of arrivals within the per-request SLOs/);
  assert.match(run.stderr, /attainment \d+\.\d %/);
});

test('capacity options: per-request SLOs become goodput, the rest thresholds; --min-attainment needs one', () => {
  const base = { target: 'http://127.0.0.1:9', path: '/v1/chat/completions' };
  const o = resolveCapacityOptions({ ...base, slo: ['ttft<500ms', 'p99<5s', 'tpot<50ms'], minAttainment: '90%' });
  assert.deepEqual([o.goodputSlo, o.minAttainment], [['ttft<500ms', 'tpot<50ms'], 0.9]);
  const step = stepLoadOptions(o, 20);
  assert.deepEqual([step.thresholds, step.slo], [['p99<5s', 'slo_attainment>=90%'], ['ttft<500ms', 'tpot<50ms']]);
  assert.deepEqual(stepLoadOptions(resolveCapacityOptions({ ...base, slo: ['p99<1s'] }), 5).thresholds, ['p99<1s']);
  const code = (c: string) => (e: unknown): boolean => isVigilError(e) && e.code === c;
  assert.throws(() => resolveCapacityOptions({ ...base, slo: ['p99<1s'], minAttainment: '90%' }), code('VIGIL_CAPACITY_BAD_OPTION'));
  assert.throws(() => resolveCapacityOptions({ ...base, slo: ['ttft<1s'], minAttainment: '120%' }), code('VIGIL_CAPACITY_BAD_OPTION'));
  assert.throws(() => resolveCapacityOptions({ ...base, slo: ['goodput>5'] }), code('VIGIL_CAPACITY_BAD_SLO'));
  assert.throws(() => resolveCapacityOptions({ ...base, slo: ['ttft>1s'] }), code('VIGIL_LOAD_BAD_SLO'));
});
