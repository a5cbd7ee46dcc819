import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideFamily, holm, minP, tailShares } from '../../monitor/drift/family.ts';
import { ksPooledOrder, permutedKsStatistics, prepareKsPermutation, walk } from '../../monitor/drift/ks-permutation.ts';
import { drawPermutationPlan, planSubset } from '../../monitor/drift/permutation-plan.ts';
import { createMmdTest } from '../../monitor/drift/index.ts';
import { ksStatisticReference } from '../helpers/ks-reference.ts';
import { normalMatrix } from '../drift/data.ts';
import { SETTINGS, classifierPredict, orVerdict, runWindows, simStream } from './family-sim.ts';

const col = (m: { data: Float64Array; rows: number; cols: number }, c: number, rows?: number[]): number[] =>
  (rows ?? Array.from({ length: m.rows }, (_, r) => r)).map((r) => m.data[r * m.cols + c] as number);

test('permutation KS statistics equal a merge-of-sorted-samples KS on the relabelled rows (ties included)', () => {
  const ref = normalMatrix(40, 3, 11);
  const cur = normalMatrix(25, 3, 12);
  // Ties across and within the samples in column 2.
  for (let r = 0; r < 40; r++) ref.data[r * 3 + 2] = Math.round(ref.data[r * 3 + 2] as number);
  for (let r = 0; r < 25; r++) cur.data[r * 3 + 2] = Math.round(cur.data[r * 3 + 2] as number);
  const plan = drawPermutationPlan(5, 40, 25, 30);
  const got = permutedKsStatistics(prepareKsPermutation(ref), cur, plan);
  const pooled = (c: number, i: number): number => (i < 40 ? ref.data[i * 3 + c] : cur.data[(i - 40) * 3 + c]) as number;
  for (let b = 0; b < 30; b++) {
    const s = new Set(planSubset(plan, b));
    for (let c = 0; c < 3; c++) {
      const a = Array.from({ length: 65 }, (_, i) => i).filter((i) => !s.has(i)).map((i) => pooled(c, i));
      const y = [...s].map((i) => pooled(c, i));
      assert.ok(Math.abs((got[b * 3 + c] as number) - ksStatisticReference(a, y)) < 1e-12, `permutation ${b} feature ${c}`);
    }
  }
  // The identity labelling gives the observed statistic.
  const isCurrent = new Uint8Array(65).fill(0, 0, 40).fill(1, 40);
  for (let c = 0; c < 3; c++) {
    const order = ksPooledOrder(prepareKsPermutation(ref), c, Float64Array.from(col(cur, c)));
    assert.ok(Math.abs(walk(order, isCurrent, 40, 25) - ksStatisticReference(col(ref, c), col(cur, c))) < 1e-12);
  }
});

test('the shared plan gives the MMD exactly the permutations it drew before (results unchanged for a seed)', () => {
  const ref = normalMatrix(30, 2, 1);
  const cur = normalMatrix(20, 2, 2, 0, 0.5);
  const mmd = createMmdTest(ref, { permutations: 50, seed: 9, alpha: 0.05 });
  const a = mmd.testDetailed(cur);
  const b = mmd.testWithPlan(cur, drawPermutationPlan(9, 30, 20, 50));
  assert.deepEqual(b.permuted, a.permuted);
  assert.equal(b.result.pValue, a.result.pValue);
});

test('Holm: family p-value is min(1, K·p_min) and names the smallest', () => {
  const members = [
    { source: 'inputs' as const, test: 'ks' as const, feature: 'f0', pValue: 0.2 },
    { source: 'inputs' as const, test: 'mmd' as const, pValue: 0.009 },
    { source: 'outputs' as const, test: 'ks' as const, feature: 'y0', pValue: 0.03 },
  ];
  const d = holm(members, 0.05);
  assert.ok(Math.abs(d.pValue - 0.027) < 1e-15);
  assert.equal(d.drift, true);
  assert.deepEqual(d.decidedBy, { source: 'inputs', test: 'mmd', pValue: 0.009 });
  assert.equal(holm([{ ...members[0]!, pValue: 0.4 }, { ...members[2]!, pValue: 0.6 }], 0.05).pValue, 0.8);
});

test('min-p: the share of labellings whose smallest p-value is at or below the observed smallest (hand-computed)', () => {
  // B = 4: index 0 observed. mins per labelling: [0.02, 0.5, 0.01, 0.3, 0.02] → 3 of 5 at or below 0.02.
  const a = { source: 'inputs' as const, test: 'ks' as const, feature: 'f0', pValue: 0.02, shares: Float64Array.of(0.02, 0.5, 0.01, 0.9, 0.4) };
  const b = { source: 'inputs' as const, test: 'mmd' as const, pValue: 0.2, shares: Float64Array.of(0.2, 0.6, 0.7, 0.3, 0.02) };
  const d = minP([a, b], 0.05);
  assert.equal(d.pValue, 3 / 5);
  assert.equal(d.decidedBy.feature, 'f0');
  assert.throws(() => decideFamily([a, { ...b, shares: Float64Array.of(1, 2) }], 0.05, 'minp'), /same permutations/);
  // tailShares is decreasing in the value and treats the observed value like the permuted ones.
  const t = tailShares([{ mmd2: 3, permuted: Float64Array.of(1, 2, 0, -1) }]);
  assert.ok((t[0] as number) < (t[2] as number) && (t[2] as number) < (t[1] as number) && (t[1] as number) < (t[3] as number) && (t[3] as number) < (t[4] as number));
});

// Calibration of the decision by simulation: 60 independent reference sets from the fixture
// distribution (16 features), each followed by a no-drift stream evaluated like the monitor does
// (window 100, every 50 samples: overlapping windows), 10 evaluations each = 600 evaluations.
// Independent references matter: the rate of one reference's windows is not the marginal rate.
const STREAMS = 60;
const WINDOW = 100;
const STEP = 50;
const EVALS = 10;

async function noDriftRates(withModel: boolean, family: 'minp' | 'holm'): Promise<{ family: number; or: number; n: number }> {
  const clf = withModel ? await classifierPredict() : undefined;
  let n = 0, fam = 0, or = 0;
  try {
    for (let s = 0; s < STREAMS; s++) {
      const sim = await simStream(5000 + s, 200, WINDOW + STEP * (EVALS - 1), clf?.predict);
      for (const e of runWindows(sim, { ...SETTINGS, family }, WINDOW, STEP)) {
        n++;
        if (e.drift) fam++;
        if (orVerdict(e)) or++;
      }
    }
  } finally {
    await clf?.close();
  }
  return { family: fam / n, or: or / n, n };
}

for (const withModel of [false, true]) {
  test(`family decision (minp) is calibrated on no-drift streams, ${withModel ? 'inputs + fixture classifier outputs' : 'inputs only'}: 0.05 ± 0.02 over 600 evaluations`, async () => {
    const r = await noDriftRates(withModel, 'minp');
    assert.ok(r.n >= 500, `${r.n} evaluations`);
    assert.ok(Math.abs(r.family - 0.05) <= 0.02, `family verdict rate ${r.family}`);
    // The same windows under today's OR of every test: what the family decision replaces.
    assert.ok(r.or > 0.08, `OR rate ${r.or} — if the OR were calibrated this test would not show anything`);
  });
}

test('family decision (holm) is at or under alpha on the same no-drift streams (inputs + classifier outputs)', async () => {
  const r = await noDriftRates(true, 'holm');
  assert.ok(r.family <= 0.07, `Holm verdict rate ${r.family}`);
});
