import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { REPO_ROOT } from '../helpers/cli.ts';
import { EvaluationClient } from '../../monitor/evaluation/client.ts';
import type { ReferenceMessage } from '../../monitor/evaluation/types.ts';
import { degenerateSigma, medianSigma } from '../../monitor/drift/kernel.ts';
import { FLOAT32_MAX } from '../../monitor/state/representable.ts';
import { TOKENS, call, gaussianRows, startTestMonitor, writeReference } from './helpers.ts';

const CLASSIFIER = join(REPO_ROOT, 'fixtures/models/classifier.onnx');
const REFERENCE = join(REPO_ROOT, 'fixtures/datasets/reference.jsonl');
const D = 16;

test('values beyond float32 are refused with VIGIL_MONITOR_NON_FINITE naming value and feature; the window is untouched', async () => {
  const svc = await startTestMonitor({ reference: REFERENCE, model: CLASSIFIER, window: 50, evaluateEvery: 1000 });
  try {
    const rows = gaussianRows(3, D, 7);
    (rows[1] as number[])[4] = 1e39;
    const res = await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: rows } });
    assert.equal(res.status, 400);
    const body = res.json as { code: string; message: string };
    assert.equal(body.code, 'VIGIL_MONITOR_NON_FINITE');
    assert.match(body.message, /inputs\[1\]\[4\] \(feature f4\) is 1e\+39: .*float32/);
    assert.equal(svc.engine.windowSize, 0);
    // The largest float32 itself is accepted, and outputs beyond float32 are refused too.
    const edge = gaussianRows(1, D, 8);
    (edge[0] as number[])[0] = -FLOAT32_MAX;
    const deployed = await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: edge, outputs: [Array.from({ length: svc.model?.outputDim ?? 1 }, (_, j) => (j === 0 ? 1e39 : 0))] } });
    assert.equal((deployed.json as { code: string }).code, 'VIGIL_MONITOR_NON_FINITE');
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    assert.match(metrics, /vigil_observations_rejected_total\{[^}]*code="VIGIL_MONITOR_NON_FINITE"[^}]*\} 2/);
  } finally {
    await svc.close();
  }
});

test('PUT /v1/reference: a degenerate set (50 identical rows) is evaluated with the fallback bandwidth; one the model cannot represent is a 400', async () => {
  const svc = await startTestMonitor({ reference: REFERENCE, model: CLASSIFIER, window: 50, evaluateEvery: 1000, minSamples: 20 });
  try {
    const same = Array.from({ length: 50 }, () => Array.from({ length: D }, () => 0.25));
    const put = await call(`${svc.url}/v1/reference`, { method: 'PUT', token: TOKENS.admin, body: { inputs: same } });
    assert.equal(put.status, 200, put.text);
    await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(30, D, 3) } });
    const e = await svc.engine.evaluate();
    assert.ok(e, svc.engine.lastError);
    assert.deepEqual(e.inputs.mmd.sigma, [1], 'every reference row identical: σ = 1');
    assert.equal(e.inputs.detected, true);

    const huge = gaussianRows(20, D, 5).map((r) => r.map((x) => Math.sign(x) * 1e38));
    const bad = await call(`${svc.url}/v1/reference`, { method: 'PUT', token: TOKENS.admin, body: { inputs: huge } });
    assert.equal(bad.status, 400, bad.text);
    assert.equal((bad.json as { code: string }).code, 'VIGIL_MONITOR_REFERENCE_INVALID');
    assert.match((bad.json as { message: string }).message, /reference model's output/);
    assert.equal(svc.engine.reference.inputs.rows, 50, 'the set in force stays');
  } finally {
    await svc.close();
  }
});

test('the worker checks a reference before it is adopted: a set it cannot build tests on is refused, the previous one stays', async () => {
  const client = new EvaluationClient();
  const inputs = { data: Float64Array.from(gaussianRows(30, 3, 1).flat()), rows: 30, cols: 3 };
  const good: ReferenceMessage = { type: 'reference', features: ['a', 'b', 'c'], outputNames: [], inputs, settings: { alpha: 0.05, correction: 'bonferroni', permutations: 20, seed: 1, parityTolerance: 1e-4 } };
  try {
    await client.setReference(good);
    await assert.rejects(client.setReference({ ...good, settings: { ...good.settings, permutations: 0 } }), /permutations 0 is invalid/);
    const e = await client.evaluate({ seq: 1, inputs });
    assert.equal(e.inputs.mmd.permutations, 20, 'evaluated against the reference still in force');
  } finally {
    await client.close();
  }
});

test('degenerate bandwidth rule: median 0 → mean squared distance, all 0 → 1', () => {
  assert.equal(medianSigma(Float64Array.from([4, 4, 8])), Math.sqrt(4 / 2));
  assert.equal(medianSigma(Float64Array.from([0, 0, 0, 6])), Math.sqrt(1.5 / 2), 'mean of 0,0,0,6 is 1.5');
  assert.equal(medianSigma(Float64Array.from([0, 0, 0])), 1);
  assert.equal(degenerateSigma(new Float64Array(0)), 1);
});

test('property: any accepted observation leaves the next evaluation successful (real ONNX model, real HTTP)', async () => {
  const svc = await startTestMonitor({ reference: writeReference(gaussianRows(60, D, 11)), model: CLASSIFIER, window: 40, evaluateEvery: 100_000, minSamples: 20, drift: { permutations: 20 } });
  const base = gaussianRows(25, D, 12);
  // Ordinary rows with a few cells replaced by any double (extremes over-weighted).
  const extreme = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -0, FLOAT32_MAX, -FLOAT32_MAX, 1e39, -1e39, 1e38, -3e38, 5e-324, 1e-300, 1e308),
  );
  const row = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: D, maxLength: D });
  const batch = fc.tuple(
    fc.array(row, { minLength: 1, maxLength: 5 }),
    fc.array(fc.tuple(fc.nat(), fc.nat(D - 1), extreme), { maxLength: 3 }),
  ).map(([rows, cells]) => {
    for (const [i, j, v] of cells) (rows[i % rows.length] as number[])[j] = v;
    return rows;
  });
  let accepted = 0;
  try {
    await fc.assert(fc.asyncProperty(batch, async (rows) => {
      svc.engine.reset();
      await svc.engine.observe({ inputs: { data: Float64Array.from(base.flat()), rows: base.length, cols: D } }, 'api');
      const res = await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: rows } });
      if (res.status !== 200) {
        assert.equal(res.status, 400, res.text);
        return;
      }
      accepted++;
      const e = await svc.engine.evaluate();
      assert.ok(e !== undefined && svc.engine.lastError === undefined, `evaluation failed after accepting ${JSON.stringify(rows)}: ${svc.engine.lastError}`);
    }), { numRuns: 60, seed: 20261202 });
  } finally {
    await svc.close();
  }
  assert.ok(accepted > 10, `the property must exercise accepted batches (accepted ${accepted})`);
});
