import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, createKsTest, createMmdTest, ksPerFeature, ksTwoSample, matrixFromRows, referenceScaler, runDriftTest } from '../../monitor/drift/index.ts';
import { normalMatrix } from './data.ts';

const base = { alpha: 0.05, correction: 'bonferroni' as const, permutations: 50, seed: 7, bins: 10 };

test('runDriftTest assembles vigil.drift.result/v1 from the per-test engines', () => {
  const ref = normalMatrix(300, 4, 1);
  const cur = normalMatrix(250, 4, 2, 2, 0.6);
  const r = runDriftTest(ref, cur, { ...base, names: ['a', 'b', 'c', 'd'], categorical: [{ name: 'country', reference: ['de', 'fr', 'de', 'it', 'fr', 'de'].flatMap((x) => [x, x, x]), current: ['de', 'fr', 'fr', 'it', 'fr', 'fr'].flatMap((x) => [x, x, x]) }] });
  assert.equal(r.schema, 'vigil.drift.result/v1');
  assert.equal(r.nReference, 300);
  assert.equal(r.nCurrent, 250);
  assert.deepEqual(r.ks.features.map((f) => f.name), ['a', 'b', 'c', 'd']);
  r.ks.features.forEach((f, c) => {
    const direct = ksTwoSample(column(ref, c), column(cur, c));
    assert.equal(f.statistic, direct.statistic);
    assert.equal(f.pValue, direct.pValue);
    assert.equal(f.drift, f.pValue < 0.05 / 4);
  });
  assert.equal(r.ks.features[2]?.drift, true);
  assert.ok((r.ks.features[2]?.psi ?? 0) > (r.ks.features[0]?.psi ?? 1));
  assert.deepEqual(r.mmd, createMmdTest(ref, { permutations: 50, seed: 7, alpha: 0.05 }).test(cur));
  assert.equal(r.categorical[0]?.test, 'chi2');
  assert.equal(r.drift, true);
  assert.ok(r.timingsMs.total >= r.timingsMs.ks);
});

test('no drift on samples from the same distribution, and coded errors on bad input', () => {
  const r = runDriftTest(normalMatrix(200, 3, 5), normalMatrix(200, 3, 6), base);
  assert.equal(r.drift, false);
  assert.throws(() => runDriftTest(normalMatrix(20, 3, 5), normalMatrix(20, 2, 6), base), { code: 'VIGIL_DRIFT_SHAPE_MISMATCH' });
  assert.throws(() => runDriftTest(normalMatrix(20, 3, 5), normalMatrix(20, 3, 6), { ...base, bins: 1 }), { code: 'VIGIL_DRIFT_BAD_OPTION' });
  assert.throws(() => runDriftTest(matrixFromRows([[1], [Number.NaN]]), matrixFromRows([[1], [2]]), base), { code: 'VIGIL_DRIFT_NOT_FINITE' });
});

test('--standardize: MMD on reference z-scores equals MMD on pre-scaled data; a large-valued feature no longer swamps it', () => {
  const ref = normalMatrix(150, 2, 8);
  const cur = normalMatrix(150, 2, 9, 0, 0.8);
  const big = (m: typeof ref): typeof ref => ({ ...m, data: m.data.map((v, i) => (i % 2 === 1 ? v * 1e4 + 5e4 : v)) });
  const raw = runDriftTest(big(ref), big(cur), base);
  const std = runDriftTest(big(ref), big(cur), { ...base, standardize: true });
  assert.equal(raw.mmd?.detected, false);
  assert.equal(std.mmd?.detected, true);
  const scale = referenceScaler(big(ref));
  assert.deepEqual(std.mmd, createMmdTest(scale(big(ref)), { permutations: 50, seed: 7, alpha: 0.05 }).test(scale(big(cur))));
  const z = scale(big(ref));
  const col1 = Array.from({ length: z.rows }, (_, r) => z.data[r * 2 + 1] as number);
  const mean = col1.reduce((a, b) => a + b, 0) / col1.length;
  assert.ok(Math.abs(mean) < 1e-9);
  assert.ok(Math.abs(col1.reduce((a, b) => a + (b - mean) ** 2, 0) / (col1.length - 1) - 1) < 1e-9);
});

test('createKsTest reuses the sorted reference and equals ksPerFeature', () => {
  const ref = normalMatrix(120, 3, 21);
  const ks = createKsTest(ref, { alpha: 0.05, correction: 'fdr', names: ['a', 'b', 'c'] });
  for (const seed of [22, 23]) {
    const cur = normalMatrix(90, 3, seed, 1, 0.7);
    assert.deepEqual(ks.test(cur), ksPerFeature(ref, cur, { alpha: 0.05, correction: 'fdr', names: ['a', 'b', 'c'] }));
  }
  assert.throws(() => ks.test(normalMatrix(10, 2, 1)), { code: 'VIGIL_DRIFT_SHAPE_MISMATCH' });
});
