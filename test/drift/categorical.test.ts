import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benjaminiHochberg, bonferroni, chiSquareHomogeneity, chiSquareSf, numericPsi, psiFromProportions, categoricalPsi, quantileEdges } from '../../monitor/drift/index.ts';

function repeat(pairs: [string, number][]): string[] {
  return pairs.flatMap(([v, n]) => new Array<string>(n).fill(v));
}

test('chi-square homogeneity: Sophia "chi-square test of homogeneity" worked example (drinking levels, U vs State)', () => {
  // https://app.sophia.org/tutorials/chi-square-test-of-homogeneity — counts None/Low/Moderate/High:
  // the U 140/478/300/63, State 186/661/173/16 (3 degrees of freedom). Statistic and p-value from
  // scipy.stats.chi2_contingency(correction=False): 96.52631632256146, p = 8.67502980933016e-21.
  const u = repeat([['none', 140], ['low', 478], ['moderate', 300], ['high', 63]]);
  const state = repeat([['none', 186], ['low', 661], ['moderate', 173], ['high', 16]]);
  const r = chiSquareHomogeneity(u, state);
  assert.equal(r.dof, 3);
  assert.ok(Math.abs(r.statistic - 96.52631632256146) < 1e-9, String(r.statistic));
  assert.ok(Math.abs(r.pValue - 8.67502980933016e-21) / 8.67502980933016e-21 < 1e-6, String(r.pValue));
});

test('chi-square homogeneity: Wackerly, Mendenhall & Scheaffer, Mathematical Statistics with Applications (7th ed.), ch. 14 supplementary exercise 33', () => {
  // Opinion by group — Favor: students 252, faculty 107, administrators 43; Oppose: 139, 81, 40.
  // Worked solution: χ² = 6.18 on (2−1)(3−1) = 2 dof; 5.99147 < χ² < 7.37776, so 0.025 < p < 0.05.
  // (Pearson's χ² of a 2×K table does not depend on which margin is called "the samples".)
  const favor = repeat([['student', 252], ['faculty', 107], ['admin', 43]]);
  const oppose = repeat([['student', 139], ['faculty', 81], ['admin', 40]]);
  const r = chiSquareHomogeneity(favor, oppose);
  assert.equal(r.dof, 2);
  assert.ok(Math.abs(r.statistic - 6.18) < 0.01, String(r.statistic)); // 6.1869 unrounded; the solution rounds its expected counts
  assert.ok(r.pValue > 0.025 && r.pValue < 0.05, String(r.pValue));
  assert.ok(Math.abs(r.pValue - Math.exp(-r.statistic / 2)) < 1e-12, 'χ²₂ survival is exp(−x/2) exactly');
});

test('chi-square survival function matches published/scipy values across regimes', () => {
  // Table values: P(χ²_1 >= 3.841) = 0.05, P(χ²_10 >= 18.307) = 0.05 (standard χ² table);
  // others scipy.stats.chi2.sf.
  const cases: [number, number, number][] = [
    [3.841458820694124, 1, 0.05], [18.307038053275146, 10, 0.05],
    [3.1, 2, 0.21224797382674304], [0.5, 7, 0.9994464813904249], [40, 3, 1.065509033425585e-08],
    [1e-3, 1, 0.9747728793699604], [200, 150, 0.003973185970821635],
  ];
  for (const [x, k, p] of cases) {
    const got = chiSquareSf(x, k);
    assert.ok(Math.abs(got - p) / p < 1e-9, `chi2.sf(${x}, ${k}) = ${got}, expected ${p}`);
  }
});

test('chi-square pools sparse categories into "(other)" by the documented rule', () => {
  const ref = repeat([['a', 50], ['b', 45], ['c', 2], ['d', 1], ['e', 2]]);
  const cur = repeat([['a', 48], ['b', 47], ['c', 1], ['d', 3], ['e', 1]]);
  const r = chiSquareHomogeneity(ref, cur);
  // c, d, e have expected counts < 5 → pooled (3+4+3 = 10 in total, expected 5 each) → stays "(other)".
  assert.deepEqual(r.categories, ['a', 'b', '(other)']);
  assert.equal(r.dof, 2);
  const single = chiSquareHomogeneity(['x', 'x'], ['x']);
  assert.deepEqual([single.statistic, single.pValue, single.dof], [0, 1, 0]);
});

test('PSI: GeeksforGeeks "Population Stability Index" worked example (income bins 2020 vs 2021)', () => {
  // https://www.geeksforgeeks.org/data-science/population-stability-index-psi/ — expected 0.4/0.3/0.3,
  // observed 0.35/0.25/0.4: terms 0.00668 + 0.00912 + 0.02877 = 0.0446.
  const psi = psiFromProportions([0.4, 0.3, 0.3], [0.35, 0.25, 0.4]);
  const byHand = -0.05 * Math.log(0.35 / 0.4) + -0.05 * Math.log(0.25 / 0.3) + 0.1 * Math.log(0.4 / 0.3);
  assert.ok(Math.abs(psi - 0.0446) < 5e-5, String(psi));
  assert.ok(Math.abs(psi - byHand) < 1e-15);
  assert.ok(Math.abs(categoricalPsi(repeat([['lo', 40], ['mid', 30], ['hi', 30]]), repeat([['lo', 35], ['mid', 25], ['hi', 40]])) - psi) < 1e-12);
});

test('numeric PSI honours the bin count: quantile edges of the reference', () => {
  const ref = Float64Array.from({ length: 1000 }, (_, i) => i);
  assert.deepEqual(quantileEdges(ref, 4), [250, 500, 750]);
  assert.equal(quantileEdges(ref, 10).length, 9);
  // Current: everything in the top quarter. With 4 bins: 3 bins at 1e-4, one at 1.0.
  const cur = Float64Array.from({ length: 100 }, (_, i) => 800 + i);
  const expected4 = 3 * (1e-4 - 0.25) * Math.log(1e-4 / 0.25) + (1 - 0.25) * Math.log(1 / 0.25);
  assert.ok(Math.abs(numericPsi(ref, cur, 4) - expected4) < 1e-12);
  assert.notEqual(numericPsi(ref, cur, 4), numericPsi(ref, cur, 10));
});

test('Bonferroni and Benjamini–Hochberg against a hand-worked example', () => {
  // p = [0.01, 0.04, 0.03, 0.005], alpha = 0.05, k = 4. Bonferroni: reject p < 0.0125 → 0.01, 0.005.
  const p = [0.01, 0.04, 0.03, 0.005];
  assert.deepEqual(bonferroni(p, 0.05).rejected, [true, false, false, true]);
  assert.deepEqual(bonferroni(p, 0.05).adjusted, [0.04, 0.16, 0.12, 0.02]);
  // BH on [0.01, 0.041, 0.031, 0.005, 0.2] (k = 5): sorted 0.005 < 0.01 ✓, 0.01 < 0.02 ✓, 0.031 < 0.03 ✗, 0.041 < 0.04 ✗,
  // 0.2 < 0.05 ✗ → the two smallest rejected. Adjusted (running min of k·p(i)/i from the top): 0.025, 0.025, 0.05125, 0.05125, 0.2.
  const bh = benjaminiHochberg([0.01, 0.041, 0.031, 0.005, 0.2], 0.05);
  assert.deepEqual(bh.rejected, [true, false, false, true, false]);
  bh.adjusted.forEach((v, i) => assert.ok(Math.abs(v - ([0.025, 0.05125, 0.05125, 0.025, 0.2][i] as number)) < 1e-12, `${i}: ${v}`));
});
