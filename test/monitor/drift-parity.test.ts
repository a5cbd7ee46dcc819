import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { threadId } from 'node:worker_threads';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startFixtureServer, type FixtureServer } from '../../fixtures/servers/index.ts';
import type { MonitorService } from '../../monitor/service.ts';
import type { Matrix } from '../../monitor/state/window.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { TOKENS, call, startTestMonitor, datasetRows } from './helpers.ts';
import { ksStatisticReference } from '../helpers/ks-reference.ts';

const MODEL = join(REPO_ROOT, 'fixtures/models/classifier.onnx');
const DATA = join(REPO_ROOT, 'fixtures/datasets');
const REFERENCE = join(DATA, 'reference.jsonl');


const column = (m: Matrix | number[][], c: number): number[] => (Array.isArray(m) ? m.map((r) => r[c] as number) : Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + c] as number));

let svc: MonitorService;
before(async () => {
  svc = await startTestMonitor({ reference: REFERENCE, model: MODEL, window: 500, evaluateEvery: 1_000_000, evaluateInterval: '1h', minSamples: 50, bodyLimit: '4MiB' });
});
after(async () => { await svc.close(); });

async function ingest(rows: number[][], outputs?: number[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    const res = await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: rows.slice(i, i + 100), ...(outputs ? { outputs: outputs.slice(i, i + 100) } : {}) } });
    assert.equal(res.status, 200, res.text);
  }
}

test('status reports the real ONNX model: SHA-256, names, shapes; reference outputs computed at start', async () => {
  const status = (await call(`${svc.url}/v1/status`, { token: TOKENS.viewer })).json as { model: { sha256: string; inputShape: unknown[]; outputShape: unknown[]; inputDim: number; outputDim: number; loaded: boolean }; reference: { rows: number; features: string[]; outputsComputed: boolean } };
  assert.equal(status.model.loaded, true);
  assert.equal(status.model.sha256, createHash('sha256').update(readFileSync(MODEL)).digest('hex'));
  assert.equal(status.model.inputDim, 16);
  assert.equal(status.model.outputDim, 3);
  assert.equal(status.reference.rows, 1000);
  assert.equal(status.reference.features.length, 16);
  assert.equal(status.reference.outputsComputed, true);
  assert.equal((await call(`${svc.url}/readyz`)).status, 200);
});

const VARIANTS: { file: string; ks: boolean; mmd: boolean; features: string[] }[] = [
  { file: 'current-clean.jsonl', ks: false, mmd: false, features: [] },
  { file: 'drift-mean-shift.jsonl', ks: true, mmd: true, features: ['f3', 'f7', 'f12'] },
  { file: 'drift-variance.jsonl', ks: true, mmd: true, features: ['f5', 'f9'] },
  { file: 'drift-correlation.jsonl', ks: false, mmd: true, features: [] },
];

for (const v of VARIANTS) {
  test(`${v.file}: KS ${v.ks ? 'flags ' + v.features.join(',') : 'quiet'}, MMD ${v.mmd ? 'flags it' : 'quiet'} (worker thread, real ONNX outputs)`, async () => {
    assert.equal((await call(`${svc.url}/v1/reset`, { method: 'POST', token: TOKENS.admin })).status, 200);
    const rows = datasetRows(join(DATA, v.file));
    await ingest(rows);
    const evaluation = await svc.engine.evaluate();
    assert.ok(evaluation, 'an evaluation ran');
    assert.notEqual(svc.evaluator.threadId, threadId, 'evaluated in a worker thread');
    assert.equal(evaluation.windowSamples, 500);
    assert.equal(evaluation.inputs.ks.detected, v.ks);
    assert.equal(evaluation.inputs.mmd.detected, v.mmd);
    assert.deepEqual(evaluation.inputs.ks.features.filter((f) => f.drift).map((f) => f.name), v.features);
    // Each per-feature statistic against a merge-of-sorted-samples computation in this test.
    const ref = datasetRows(REFERENCE);
    for (let c = 0; c < 16; c++) {
      const got = evaluation.inputs.ks.features[c]?.statistic as number;
      assert.ok(Math.abs(got - ksStatisticReference(column(ref, c), column(rows, c))) < 1e-12, `f${c}`);
    }
    assert.ok(evaluation.outputs, 'drift on reference-model outputs is evaluated too');
    // Gauges carry the evaluation.
    const metrics = await svc.registry.metrics();
    const gauge = (name: string, labels: string): number => Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
    // The decision is the family's: drift whenever any test of the family sees it here.
    assert.equal(evaluation.drift, v.ks || v.mmd);
    assert.equal(evaluation.family.method, 'minp');
    assert.equal(evaluation.family.tests, 16 + 1 + 3 + 1, 'KS per input and output feature, MMD per stream');
    assert.equal(evaluation.family.drift, evaluation.family.pValue <= 0.05);
    assert.equal(gauge('vigil_drift_detected', 'model="classifier",source="all",test="family"'), v.ks || v.mmd ? 1 : 0);
    assert.equal(gauge('vigil_drift_p_value', 'model="classifier",source="all",test="family"'), evaluation.family.pValue);
    assert.ok(!/vigil_drift_detected\{[^}]*test="(ks|mmd)"/.test(metrics), 'no per-test verdict gauges: the decision is the family');
    assert.equal(gauge('vigil_drift_p_value', 'model="classifier",source="inputs",test="mmd"'), evaluation.inputs.mmd.pValue);
    assert.equal(gauge('vigil_drift_window_samples', 'model="classifier"'), 500);
    const history = (await call(`${svc.url}/v1/drift`, { token: TOKENS.viewer })).json as { evaluations: { seq: number }[] };
    assert.equal(history.evaluations.at(-1)?.seq, evaluation.seq);
  });
}

test('deployed outputs equal to the reference model give perfect parity; perturbed ones are caught', async () => {
  await call(`${svc.url}/v1/reset`, { method: 'POST', token: TOKENS.admin });
  const rows = datasetRows(join(DATA, 'current-clean.jsonl')).slice(0, 200);
  const reference = await svc.model?.predict({ data: Float64Array.from(rows.flat()), rows: rows.length, cols: 16 });
  assert.ok(reference);
  const outputs = rows.map((_, i) => Array.from(reference.data.subarray(i * 3, i * 3 + 3)));
  await ingest(rows, outputs);
  const same = await svc.engine.evaluate();
  assert.equal(same?.parity?.samples, 200);
  assert.equal(same?.parity?.maxAbsDiff, 0);
  assert.equal(same?.parity?.agreementRatio, 1);
  await call(`${svc.url}/v1/reset`, { method: 'POST', token: TOKENS.admin });
  // Swap the first two class probabilities on every 4th row: argmax flips where they differ.
  const swapped = outputs.map((o, i) => (i % 4 === 0 ? [o[1] as number, o[0] as number, o[2] as number] : o));
  const expectedDisagree = outputs.filter((o, i) => i % 4 === 0 && Math.max(o[0] as number, o[1] as number) > (o[2] as number) && o[0] !== o[1]).length;
  const expectedMax = Math.max(...outputs.filter((_, i) => i % 4 === 0).map((o) => Math.abs((o[0] as number) - (o[1] as number))));
  await ingest(rows, swapped);
  const off = await svc.engine.evaluate();
  assert.equal(off?.parity?.agreementRatio, (200 - expectedDisagree) / 200);
  assert.ok(Math.abs((off?.parity?.maxAbsDiff ?? 0) - expectedMax) < 1e-12);
  assert.equal(off?.parity?.degraded, true);
});

test('proxy in front of a fixture server with the preprocessing bug: parity metrics degrade; without the bug they hold', async (t) => {
  const runs: { bug: boolean; max: number; agreement: number }[] = [];
  for (const bug of [false, true]) {
    const upstream: FixtureServer = await startFixtureServer({ model: { path: MODEL, preprocessingBug: bug } });
    const proxy = await startTestMonitor({ reference: REFERENCE, model: MODEL, upstream: upstream.url, window: 200, evaluateEvery: 1_000_000, evaluateInterval: '1h', minSamples: 50, bodyLimit: '4MiB' });
    t.after(async () => { await proxy.close(); await upstream.close(); });
    const rows = datasetRows(join(DATA, 'current-clean.jsonl')).slice(0, 200);
    let observed = 0;
    const allObserved = new Promise<void>((resolve) => proxy.engine.on('observed', (n: number) => { observed += n; if (observed >= rows.length) resolve(); }));
    for (let i = 0; i < rows.length; i += 20) {
      const res = await fetch(`${proxy.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: rows.slice(i, i + 20) }) });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    }
    await allObserved;
    const e = await proxy.engine.evaluate();
    assert.ok(e?.parity);
    runs.push({ bug, max: e.parity.maxAbsDiff, agreement: e.parity.agreementRatio });
    const metrics = await proxy.registry.metrics();
    assert.match(metrics, new RegExp(`vigil_parity_max_abs_diff\\{model="classifier"\\} ${String(e.parity.maxAbsDiff).replace('.', '\\.')}`));
    assert.match(metrics, /vigil_upstream_requests_total\{model="classifier",route="\/predict",method="POST",code="200"\} 10/);
  }
  const [clean, buggy] = runs as [typeof runs[0], typeof runs[0]];
  assert.ok(clean.max <= 1e-6, `same model, same preprocessing: max diff ${clean.max}`);
  assert.equal(clean.agreement, 1);
  assert.ok(buggy.max > 0.1, `skipping the standardisation must show: max diff ${buggy.max}`);
  assert.ok(buggy.agreement < 0.9, `argmax agreement ${buggy.agreement}`);
});
