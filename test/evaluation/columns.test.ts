import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chiSquareHomogeneity } from '../../monitor/drift/chi2.ts';
import { categoricalTest, ksAsymptoticP, ksObserved, missingTest, sharesOnPlan } from '../../monitor/drift/columns.ts';
import { ksTwoSample } from '../../monitor/drift/ks.ts';
import { missingRateTest } from '../../monitor/drift/missing.ts';
import { drawPermutationPlan } from '../../monitor/drift/permutation-plan.ts';
import { createRng } from '../../common/rng.ts';
import { SETTINGS } from './family-sim.ts';
import { categoricalStream, evaluateWindows, missingStream } from './columns-sim.ts';

const seq = (xs: number[]): Float64Array => Float64Array.from(xs);

test('observed-values KS equals scipy-style KS on the non-missing values; its permutation shares equal KS of the relabelled observed values', () => {
  const rng = createRng(3);
  const ref = Float64Array.from({ length: 40 }, (_, i) => (i % 7 === 0 ? NaN : Math.round(rng.normal() * 4) / 2));
  const cur = Float64Array.from({ length: 25 }, (_, i) => (i % 5 === 0 ? NaN : Math.round((rng.normal() + 0.3) * 4) / 2));
  const r = ksObserved(ref, cur);
  const want = ksTwoSample(ref.filter((x) => !Number.isNaN(x)), cur.filter((x) => !Number.isNaN(x)));
  assert.ok(Math.abs(r.statistic - want.statistic) < 1e-12 && Math.abs(r.pValue - want.pValue) < 1e-12);
  const plan = drawPermutationPlan(5, 40, 25, 30);
  const [shares] = sharesOnPlan(plan, [r.share]);
  const pooled = [...ref, ...cur];
  for (let b = 0; b < 30; b++) {
    const s = new Set(plan.subsets.subarray(b * 25, (b + 1) * 25));
    const a = pooled.filter((x, i) => !s.has(i) && !Number.isNaN(x));
    const c = pooled.filter((x, i) => s.has(i) && !Number.isNaN(x));
    const d = ksTwoSample(a, c).statistic;
    assert.ok(Math.abs((shares as Float64Array)[b + 1] as number - ksAsymptoticP(d, a.length, c.length)) < 1e-12, `permutation ${b}`);
  }
});

test('missing-rate shares: the Fisher p-value of each relabelling\'s missing counts', () => {
  const ref = seq([NaN, 1, 2, NaN, 3, 4, 5, 6, 7, 8]);
  const cur = seq([NaN, NaN, NaN, 1, 2, 3]);
  const r = missingTest(ref, cur);
  assert.equal(r.pValue, missingRateTest(2, 10, 3, 6).pValue);
  const plan = drawPermutationPlan(2, 10, 6, 20);
  const [shares] = sharesOnPlan(plan, [r.share]);
  const pooled = [...ref, ...cur];
  for (let b = 0; b < 20; b++) {
    const k = [...plan.subsets.subarray(b * 6, (b + 1) * 6)].filter((i) => Number.isNaN(pooled[i])).length;
    assert.equal((shares as Float64Array)[b + 1], missingRateTest(5 - k, 10, k, 6).pValue);
  }
});

test('categorical chi-square on codes equals the CLI\'s chiSquareHomogeneity on the strings (sparse pooling), unseen values counted', () => {
  const rng = createRng(11);
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const probs = [0.4, 0.3, 0.15, 0.1, 0.03, 0.015, 0.005];
  const draw = (): string => { let u = rng.next(); for (let k = 0; k < names.length; k++) { u -= probs[k] as number; if (u <= 0) return names[k] as string; } return 'g'; };
  const refS = Array.from({ length: 300 }, draw);
  const curS = [...Array.from({ length: 118 }, draw), 'zz', 'yy'];
  const vocab = [...new Set(refS)].sort();
  const codes = new Map(vocab.map((v, k) => [v, k]));
  const code = (v: string): number => { let k = codes.get(v); if (k === undefined) { k = codes.size; codes.set(v, k); } return k; };
  const r = categoricalTest(Float64Array.from(refS, code), Float64Array.from(curS, code), vocab.length);
  const want = chiSquareHomogeneity(refS, curS);
  assert.ok(Math.abs(r.chi2 - want.statistic) < 1e-9, `${r.chi2} vs ${want.statistic}`);
  assert.equal(r.dof, want.dof);
  assert.ok(Math.abs(r.pValue - want.pValue) < 1e-12);
  assert.equal(r.unseenCategories, 2);
});

// Calibration with missing values: 270 independent references (400 rows, 4 fixture features, 1 %
// of every cell missing in the reference and in the stream), two windows of 200 (every 100) each →
// 540 evaluations. Many references, few windows each: overlapping windows of one reference are
// correlated, and the rate over few references is noisy well beyond ± 0.02.
test('family decision with 1 % missing values is calibrated on no-drift streams: 0.05 ± 0.02 over 540 evaluations', (t) => {
  let n = 0, drift = 0;
  for (let s = 0; s < 270; s++) {
    const { reference, stream } = missingStream(31000 + s, 400, 300, 4);
    for (const e of evaluateWindows(reference, stream, SETTINGS, 200, 100)) { n++; if (e.drift) drift++; }
  }
  assert.ok(n >= 500, `${n} evaluations`);
  t.diagnostic(`no-drift verdict rate with 1 % missing: ${(drift / n).toFixed(4)} over ${n} evaluations`);
  assert.ok(Math.abs(drift / n - 0.05) <= 0.02, `verdict rate ${drift / n} over ${n}`);
});

test('a missing rate rising 1 % → 5 % on one feature is detected at window 500 (power ≥ 0.9), decided by its missing test', (t) => {
  let n = 0, drift = 0, byMissing = 0;
  for (let s = 0; s < 8; s++) {
    const { reference, stream } = missingStream(22000 + s, 1000, 500 + 100 * 4, 4, (j) => (j === 2 ? 0.05 : 0.01));
    for (const e of evaluateWindows(reference, stream, SETTINGS, 500, 100)) {
      n++;
      if (e.drift) drift++;
      if (e.drift && e.family.decidedBy.test === 'missing' && e.family.decidedBy.feature === 'f2') byMissing++;
    }
  }
  t.diagnostic(`power (missing 1 % → 5 % on f2, window 500): ${(drift / n).toFixed(4)} over ${n} evaluations, decided by missing f2 in ${byMissing}`);
  assert.ok(drift / n >= 0.9, `power ${drift / n} over ${n}`);
  assert.ok(byMissing / n >= 0.85, `decided by missing f2 in ${byMissing}/${n}`);
});

// Categorical: 60 references (1000 rows: 2 fixture features + 2 categorical features of 50
// long-tailed categories, p ∝ 1/(k+1)^1.2, so most cells are sparse and pooled), window 200 every 40.
test('family decision with two 50-category features (sparse tails) is calibrated at window 200: 0.05 ± 0.02 over 540 evaluations', (t) => {
  let n = 0, drift = 0, chi = 0;
  for (let s = 0; s < 60; s++) {
    const { reference, stream, categorical } = categoricalStream(23000 + s, 1000, 200 + 40 * 8, 2, 2, 50);
    for (const e of evaluateWindows(reference, stream, SETTINGS, 200, 40, categorical)) {
      n++;
      if (e.drift) drift++;
      if (e.family.decidedBy.test === 'chi2') chi++;
      assert.equal(e.inputs.categorical?.length, 2);
    }
  }
  assert.ok(n >= 500, `${n} evaluations`);
  assert.ok(Math.abs(drift / n - 0.05) <= 0.02, `verdict rate ${drift / n} over ${n}`);
  t.diagnostic(`no-drift verdict rate with two 50-category features: ${(drift / n).toFixed(4)} over ${n} evaluations (chi-square smallest in ${chi})`);
  assert.ok(chi > 0, 'chi-square never had the smallest p-value: it would not be in the family');
});
