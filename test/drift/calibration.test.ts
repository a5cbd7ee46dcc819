import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMmdTest, ksTwoSample } from '../../monitor/drift/index.ts';
import { normalMatrix, normalSource } from './data.ts';

// Small, seeded versions of the calibration runs (the full ones are in bench/drift-calibration.bench.ts).
// Bounds are ~3 binomial standard errors around alpha: a mis-scaled p-value fails them.

test('KS p-values are calibrated under no drift: rejection rate at 0.05 over 600 seeded trials', () => {
  let rejected = 0;
  for (let t = 0; t < 600; t++) {
    const a = normalSource(10_000 + t);
    const b = normalSource(20_000 + t);
    if (ksTwoSample(Array.from({ length: 37 }, a), Array.from({ length: 53 }, b)).pValue < 0.05) rejected++;
  }
  const rate = rejected / 600;
  assert.ok(rate > 0.02 && rate < 0.08, `KS false-positive rate ${rate}`);
});

test('MMD permutation p-values are calibrated under no drift and have power under a shift', () => {
  let falsePos = 0;
  let detected = 0;
  const trials = 120;
  for (let t = 0; t < trials; t++) {
    const ref = normalMatrix(30, 3, 30_000 + t);
    const mmd = createMmdTest(ref, { permutations: 99, seed: t, alpha: 0.05 });
    if (mmd.test(normalMatrix(30, 3, 40_000 + t)).detected) falsePos++;
    if (mmd.test(normalMatrix(30, 3, 50_000 + t, 0, 1.2)).detected) detected++;
  }
  assert.ok(falsePos / trials < 0.11, `MMD false-positive rate ${falsePos / trials}`);
  assert.ok(falsePos > 0, 'a p-value that never rejects under H0 is not calibrated either');
  assert.ok(detected / trials > 0.8, `MMD power ${detected / trials}`);
});
