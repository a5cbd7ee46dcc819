import { test } from 'node:test';
import assert from 'node:assert/strict';
import { theilSen } from '../../monitor/watch/stats/theil-sen.ts';
import { mannKendall } from '../../monitor/watch/stats/mann-kendall.ts';
import { theilSenNaive, mannKendallNaive } from '../../monitor/watch/stats/naive.ts';
import { normalSf } from '../../monitor/watch/stats/normal.ts';
import { downsampleMin } from '../../monitor/watch/stats/downsample.ts';
import { countPairs } from '../../monitor/watch/stats/inversions.ts';
import { createRng } from '../../fixtures/servers/rng.ts';

// References computed with SciPy 1.17 (an independent implementation):
// scipy.stats.theilslopes(y, x, method='joint') and scipy.stats.kendalltau(x, y) (tau-b, asymptotic
// p-value with the tie-corrected variance, no continuity correction).
const SCIPY = [
  {
    name: 'rising, ties in y',
    x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    y: [7.2, 7.4, 7.4, 7.9, 7.8, 8.3, 8.3, 8.1, 8.6, 8.9, 8.9, 9.4],
    slope: 0.1875, intercept: 7.0, tauB: 0.8839599998785472, p: 8.267891829336562e-05,
  },
  {
    name: 'falling, many ties',
    x: Array.from({ length: 20 }, (_, i) => i),
    y: [5, 5, 5, 4, 4, 6, 3, 3, 3, 3, 2, 2, 1, 2, 1, 1, 0, 0, 1, 0],
    slope: -0.2857142857142857, intercept: 5.142857142857142, tauB: -0.8507699593953254, p: 5.457817726535388e-07,
  },
];

function close(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-300), `${what}: ${actual} vs ${expected}`);
}

for (const c of SCIPY) {
  test(`Theil–Sen matches scipy.stats.theilslopes: ${c.name}`, () => {
    const r = theilSen(c.x, c.y);
    close(r.slope, c.slope, 1e-9, 'slope');
    close(r.intercept, c.intercept, 1e-9, 'intercept');
  });

  test(`Mann–Kendall S and tie-corrected variance match scipy.stats.kendalltau: ${c.name}`, () => {
    const mk = mannKendall(c.y);
    const n = c.y.length;
    const n0 = (n * (n - 1)) / 2;
    const tied = countPairs(c.y).tied;
    // tau-b = S / sqrt(n0 (n0 − tied pairs in y)) when time has no ties.
    close(mk.s / Math.sqrt(n0 * (n0 - tied)), c.tauB, 1e-12, 'tau-b');
    // SciPy's p uses z = S/σ without the continuity correction; ours applies it, so compare the raw z.
    close(2 * normalSf(Math.abs(mk.s) / Math.sqrt(mk.varS)), c.p, 1e-5, 'p (no continuity correction)');
    close(mk.pValue, 2 * normalSf((Math.abs(mk.s) - 1) / Math.sqrt(mk.varS)), 1e-12, 'p (with continuity correction)');
  });
}

test('Theil–Sen with ties in x excludes the tied pairs (scipy.stats.theilslopes)', () => {
  const r = theilSen([0, 1, 1, 2, 4, 5, 7, 7, 8, 10], [3, 5, 4, 8, 8, 9, 12, 10, 13, 14]);
  close(r.slope, 1.1, 1e-12, 'slope');
  close(r.intercept, 3.55, 1e-12, 'intercept');
});

test('normal upper tail matches scipy.stats.norm.sf, including the far tail', () => {
  close(2 * normalSf(3), 0.0026997960632601866, 2e-7, 'p(3)');
  close(normalSf(0.5), 0.3085375387259869, 2e-7, 'sf(0.5)');
  close(normalSf(8), 6.22096057427174e-16, 2e-7, 'sf(8)');
  close(normalSf(12), 1.776482112077653e-33, 2e-7, 'sf(12)');
});

test('Mann–Kendall variance with ties equals the textbook formula written out', () => {
  // Groups of sizes 3, 2, 4 and singletons: Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18.
  const y = [1, 1, 1, 2, 3, 3, 4, 5, 5, 5, 5, 6, 7];
  const n = y.length;
  const expected = (n * (n - 1) * (2 * n + 5) - (3 * 2 * 11 + 2 * 1 * 9 + 4 * 3 * 13)) / 18;
  assert.equal(mannKendall(y).varS, expected);
  assert.equal(mannKendallNaive(y).varS, expected);
});

test('fast O(n log n) paths equal the O(n²) brute force over all pairs (random series with ties)', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = createRng(seed).next;
    const n = 5 + Math.floor(r() * 400);
    const x: number[] = [];
    const y: number[] = [];
    let t = 0;
    const slope = (r() - 0.5) * 1e5;
    for (let i = 0; i < n; i++) {
      t += 0.05 + r();
      x.push(t);
      // Rounded to a coarse grid so ties in y are frequent (as with kB-granular RSS).
      y.push(Math.round((1e8 + slope * t + (r() - 0.5) * 4e5) / 4096) * 4096);
    }
    const fast = theilSen(x, y);
    const naive = theilSenNaive(x, y);
    close(fast.slope, naive.slope, 1e-12, `seed ${seed} slope`);
    assert.equal(fast.pairs, naive.pairs);
    const mk = mannKendall(y);
    const ref = mannKendallNaive(y);
    assert.equal(mk.s, ref.s, `seed ${seed} S`);
    assert.equal(mk.varS, ref.varS, `seed ${seed} Var(S)`);
    assert.equal(mk.pValue, ref.pValue);
  }
});

test('3,600-point window: fast Theil–Sen equals brute force', () => {
  const r = createRng(99).next;
  const x = Float64Array.from({ length: 3600 }, (_, i) => i);
  const y = Float64Array.from(x, (t) => 2e8 + 3000 * t + (r() - 0.5) * 5e6);
  close(theilSen(x, y).slope, theilSenNaive(x, y).slope, 1e-12, 'slope');
  assert.equal(mannKendall(y).s, mannKendallNaive(y).s);
});

test('downsampling keeps each time bucket’s minimum at its own time', () => {
  const t = Array.from({ length: 100 }, (_, i) => i);
  const v = t.map((i) => 1000 + (i % 10) * 7 - (i % 10 === 3 ? 50 : 0));
  const d = downsampleMin(t, v, 10);
  assert.equal(d.t.length, 10);
  for (let b = 0; b < 10; b++) {
    const bucket = v.slice(b * 10, b * 10 + 10);
    assert.equal(d.v[b], Math.min(...bucket));
    assert.equal(d.t[b], b * 10 + 3);
  }
  assert.equal(downsampleMin([0, 1], [5, 6], 10).t.length, 2);
});
