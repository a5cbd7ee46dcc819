import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMmdTest, type Matrix } from '../../monitor/drift/index.ts';
import { crossKernel, crossKernels, pairSquaredDistances, selfKernel, selfKernels, selfKernelsFromDistances } from '../../monitor/drift/kernel.ts';
import { rowSquaredNorms } from '../../monitor/drift/gemm.ts';
import { mmdBackend, mmdEvaluations } from '../../monitor/drift-cli/run.ts';
import { normalMatrix as baseNormal } from './data.ts';
import { naivePermutedMmd2, pooledKernel, rowsOf, sqDist, tripleLoopMmd2 } from './naive-mmd.ts';

/** Standard normals with every column shifted by `shift`. */
function normalMatrix(rows: number, cols: number, seed: number, shift = 0): Matrix {
  const m = baseNormal(rows, cols, seed);
  for (let i = 0; i < m.data.length; i++) m.data[i] = (m.data[i] as number) + shift;
  return m;
}

const cases = [
  { name: '60 vs 45, d=3, median sigma', n: 60, m: 45, d: 3, shift: 0, sigma: undefined },
  { name: '50 vs 70, d=5, shifted, given sigma', n: 50, m: 70, d: 5, shift: 0.4, sigma: 1.7 },
  { name: '40 vs 40, d=7 (tile remainder), two sigmas', n: 40, m: 40, d: 7, shift: 0.2, sigma: [0.8, 2.5] },
  { name: '150 vs 140, d=2 (several tiles)', n: 150, m: 140, d: 2, shift: 0.1, sigma: undefined },
];

for (const c of cases) {
  test(`MMD² equals the triple-loop computation: ${c.name}`, () => {
    const ref = normalMatrix(c.n, c.d, 11);
    const cur = normalMatrix(c.m, c.d, 12, c.shift);
    const mmd = createMmdTest(ref, { sigma: c.sigma, permutations: 20, seed: 3, alpha: 0.05 });
    const r = mmd.test(cur);
    const expected = tripleLoopMmd2(rowsOf(ref), rowsOf(cur), mmd.sigma);
    assert.ok(Math.abs(r.mmd2 - expected) <= 1e-9, `mmd2 ${r.mmd2} vs triple loop ${expected}`);
  });
}

test('median-heuristic sigma equals the sort-based lower median of reference pair distances', () => {
  for (const [n, d, seed] of [[31, 4, 5], [64, 3, 6], [130, 9, 7]] as const) {
    const ref = normalMatrix(n, d, seed);
    const rows = rowsOf(ref);
    const dists: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) dists.push(sqDist(rows[i] as number[], rows[j] as number[]));
    dists.sort((a, b) => a - b);
    // alibi: element n + (n²-n)//2 - 1 of the sorted n×n matrix (n zeros, each pair twice).
    const full = [...new Array<number>(n).fill(0), ...dists.flatMap((v) => [v, v])].sort((a, b) => a - b);
    const alibiMedian = full[n + Math.floor((n * n - n) / 2) - 1] as number;
    const expected = Math.sqrt(alibiMedian / 2);
    const got = createMmdTest(ref, { permutations: 1, seed: 1, alpha: 0.05 }).sigma[0] as number;
    assert.ok(Math.abs(got - expected) <= 1e-12 * expected, `sigma ${got} vs ${expected}`);
  }
});

test('batched permutation statistics and p-value equal the naive per-permutation re-indexing loop', () => {
  const ref = normalMatrix(45, 3, 21);
  const cur = normalMatrix(35, 3, 22, 0.3);
  const mmd = createMmdTest(ref, { permutations: 60, seed: 99, alpha: 0.05 });
  const { result, permuted } = mmd.testDetailed(cur);
  const kernel = pooledKernel(rowsOf(ref), rowsOf(cur), mmd.sigma);
  const naive = naivePermutedMmd2(kernel, 45, 35, 99, 60);
  naive.forEach((v, i) => assert.ok(Math.abs(v - (permuted[i] as number)) <= 1e-7, `permutation ${i}: ${permuted[i]} vs naive ${v}`));
  const naiveP = (1 + naive.filter((v) => v >= result.mmd2).length) / 61;
  assert.equal(result.pValue, naiveP);
  const sortedDesc = [...naive].sort((a, b) => b - a);
  assert.ok(Math.abs(result.threshold - (sortedDesc[Math.floor(0.05 * 60)] as number)) <= 1e-7);
});

test('the p-value is never 0 and the seed makes it reproducible; the reference block is reused', () => {
  const ref = normalMatrix(80, 4, 31);
  const far = normalMatrix(80, 4, 32, 3);
  const mmd = createMmdTest(ref, { permutations: 50, seed: 5, alpha: 0.05 });
  const a = mmd.test(far);
  assert.equal(a.pValue, 1 / 51);
  assert.ok(a.detected);
  assert.ok(a.mmd2 > a.threshold);
  assert.deepEqual(mmd.test(far), a);
  const same = mmd.test(normalMatrix(80, 4, 33));
  assert.ok(same.pValue > 0.05, `no-shift p-value ${same.pValue}`);
});

test('MMD options and shapes are validated with coded errors', () => {
  const ref = normalMatrix(10, 3, 1);
  assert.throws(() => createMmdTest(ref, { permutations: 0, seed: 1, alpha: 0.05 }), { code: 'VIGIL_DRIFT_BAD_OPTION' });
  assert.throws(() => createMmdTest(ref, { permutations: 10, seed: 1, alpha: 1.5 }), { code: 'VIGIL_DRIFT_BAD_OPTION' });
  assert.throws(() => createMmdTest(ref, { sigma: -1, permutations: 10, seed: 1, alpha: 0.05 }), { code: 'VIGIL_DRIFT_BAD_OPTION' });
  const mmd = createMmdTest(ref, { permutations: 10, seed: 1, alpha: 0.05 });
  assert.throws(() => mmd.test(normalMatrix(10, 4, 2)), { code: 'VIGIL_DRIFT_SHAPE_MISMATCH' });
});

test('onnxruntime path: the observed MMD² equals the triple loop, the permutations and p-value equal the JS path and the naive loop', async () => {
  const { createMmdTestOrt } = await import('../../monitor/drift/mmd-ort.ts');
  // One bandwidth (median heuristic), then three averaged; unequal sizes so the blocks cannot be confused.
  for (const sigma of [undefined, [0.8, 1.6, 3.2]]) {
    const ref = normalMatrix(70, 4, 41);
    const cur = normalMatrix(60, 4, 42, 0.25);
    const opts = { permutations: 80, seed: 13, alpha: 0.05, ...(sigma ? { sigma } : {}) };
    const jsTest = createMmdTest(ref, opts);
    const js = jsTest.testDetailed(cur);
    const viaOrt = await (await createMmdTestOrt(ref, opts)).testDetailed(cur);
    const direct = tripleLoopMmd2(rowsOf(ref), rowsOf(cur), jsTest.sigma);
    assert.ok(Math.abs(viaOrt.result.mmd2 - direct) <= 1e-9, `${viaOrt.result.mmd2} vs triple loop ${direct}`);
    // Distances through onnxruntime's float64 GEMM round differently from the JS tiles: ~1e-13 relative.
    assert.ok(Math.abs(viaOrt.result.mmd2 - js.result.mmd2) <= 1e-11 * Math.abs(js.result.mmd2), `${viaOrt.result.mmd2} vs JS ${js.result.mmd2}`);
    viaOrt.permuted.forEach((v, i) => assert.ok(Math.abs(v - (js.permuted[i] as number)) <= 1e-6, `permutation ${i}: ${v} vs ${js.permuted[i]}`));
    const naive = naivePermutedMmd2(pooledKernel(rowsOf(ref), rowsOf(cur), jsTest.sigma), 70, 60, 13, 80);
    naive.forEach((v, i) => assert.ok(Math.abs(v - (viaOrt.permuted[i] as number)) <= 1e-6, `permutation ${i}: ${viaOrt.permuted[i]} vs naive ${v}`));
    assert.equal(viaOrt.result.pValue, js.result.pValue);
    assert.deepEqual(viaOrt.result.sigma, js.result.sigma);
  }
});

/** Min-p written plainly: O(B²) counting over the B + 1 statistics (observed first) of each bandwidth. */
function naiveMinP(observed: number[], permuted: number[][]): number {
  const total = (permuted[0] as number[]).length + 1;
  const stats = observed.map((o, k) => [o, ...(permuted[k] as number[])]);
  const q = (k: number, e: number): number => (stats[k] as number[]).filter((u) => u >= ((stats[k] as number[])[e] as number)).length / total;
  const m = Array.from({ length: total }, (_, e) => Math.min(...observed.map((_, k) => q(k, e))));
  return m.filter((v) => v <= (m[0] as number)).length / total;
}

test('sigmaScale: bandwidths are multiples of the median heuristic; not together with sigma', () => {
  const ref = normalMatrix(60, 3, 71);
  const opts = { permutations: 10, seed: 1, alpha: 0.05 };
  const median = createMmdTest(ref, opts).sigma[0] as number;
  assert.deepEqual(createMmdTest(ref, { ...opts, sigmaScale: [0.5, 2] }).sigma, [0.5 * median, 2 * median]);
  assert.throws(() => createMmdTest(ref, { ...opts, sigma: 1, sigmaScale: [1] }), { code: 'VIGIL_DRIFT_BAD_OPTION' });
  assert.throws(() => createMmdTest(ref, { ...opts, sigmaScale: [] }), { code: 'VIGIL_DRIFT_BAD_OPTION' });
  assert.throws(() => createMmdTest(ref, { ...opts, sigmaScale: [0] }), { code: 'VIGIL_DRIFT_BAD_OPTION' });
});

test('min-p over bandwidths: p-value equals a plain count over the naive per-bandwidth permutation loops, on both paths', async () => {
  const { createMmdTestOrt } = await import('../../monitor/drift/mmd-ort.ts');
  const sigmas = [0.7, 1.5, 3];
  for (const [shift, seed] of [[0, 5], [0.3, 6], [0.6, 7]] as const) {
    const ref = normalMatrix(40, 3, 80 + seed);
    const cur = normalMatrix(35, 3, 90 + seed, shift);
    const opts = { sigma: sigmas, aggregate: 'minp' as const, permutations: 50, seed, alpha: 0.05 };
    const observed = sigmas.map((s) => tripleLoopMmd2(rowsOf(ref), rowsOf(cur), [s]));
    const permuted = sigmas.map((s) => naivePermutedMmd2(pooledKernel(rowsOf(ref), rowsOf(cur), [s]), 40, 35, seed, 50));
    const expected = naiveMinP(observed, permuted);
    const js = createMmdTest(ref, opts).test(cur);
    const viaOrt = await (await createMmdTestOrt(ref, opts)).test(cur);
    assert.equal(js.pValue, expected, `shift ${shift}: JS ${js.pValue} vs plain count ${expected}`);
    assert.equal(viaOrt.pValue, expected, `shift ${shift}: onnxruntime ${viaOrt.pValue} vs plain count ${expected}`);
    assert.equal(js.aggregate, 'minp');
    assert.deepEqual(js.sigma, sigmas);
    assert.deepEqual(js.bandwidths?.map((b) => b.sigma), sigmas);
    // Each bandwidth's own result is the single-bandwidth test's, and mmd2 is the deciding bandwidth's.
    sigmas.forEach((s, k) => {
      const single = createMmdTest(ref, { sigma: s, permutations: 50, seed, alpha: 0.05 }).test(cur);
      assert.equal(js.bandwidths?.[k]?.pValue, single.pValue);
      assert.ok(Math.abs((js.bandwidths?.[k]?.mmd2 as number) - (observed[k] as number)) <= 1e-9);
    });
    assert.ok(js.bandwidths?.some((b) => b.mmd2 === js.mmd2));
    // Never 0, and never below the best single bandwidth's p-value: min-p pays for the choice.
    assert.ok(js.pValue > 0 && js.pValue >= Math.min(...(js.bandwidths ?? []).map((b) => b.pValue)));
  }
  // One bandwidth under min-p is the plain permutation test.
  const ref = normalMatrix(40, 3, 99);
  const cur = normalMatrix(35, 3, 98, 0.4);
  const plain = createMmdTest(ref, { sigma: 1.2, permutations: 60, seed: 3, alpha: 0.05 }).test(cur);
  const minp = createMmdTest(ref, { sigma: [1.2], aggregate: 'minp', permutations: 60, seed: 3, alpha: 0.05 }).test(cur);
  assert.equal(minp.pValue, plain.pValue);
});

test('one distance pass: kernel blocks from the median pass, or shared by several bandwidths, equal separate passes bit for bit', () => {
  // 150 and 70 rows: several tiles (32 × 128) in both directions, ragged at the edges.
  const x = baseNormal(150, 3, 21);
  const y = baseNormal(70, 3, 22, 0, 0.3);
  const xn = rowSquaredNorms(x), yn = rowSquaredNorms(y);
  const gammas = [Float64Array.of(0.2), Float64Array.of(0.05, 0.8), Float64Array.of(1.5)];
  const fromDistances = selfKernelsFromDistances(pairSquaredDistances(x, xn), x.rows, gammas);
  const shared = selfKernels(x, xn, gammas);
  const crosses = crossKernels(x, xn, y, yn, gammas);
  gammas.forEach((g, k) => {
    const alone = selfKernel(x, xn, g);
    for (const got of [fromDistances[k], shared[k]]) {
      assert.deepEqual(got?.packed.data, alone.packed.data);
      assert.deepEqual(got?.storedRowSums, alone.storedRowSums);
      assert.equal(got?.pairSum, alone.pairSum);
      assert.equal(got?.storedPairSum, alone.storedPairSum);
    }
    const crossAlone = crossKernel(x, xn, y, yn, g);
    assert.deepEqual(crosses[k]?.data, crossAlone.data);
    assert.equal(crosses[k]?.sum, crossAlone.sum);
    assert.deepEqual(crosses[k]?.storedRowSumsY, crossAlone.storedRowSumsY);
  });
  assert.throws(() => selfKernelsFromDistances(new Float64Array(3), 4, gammas), RangeError);
  // min-p: the shared pass gives each bandwidth the result it gets alone (given as its own sigma).
  const opts = { permutations: 40, seed: 5, alpha: 0.05 };
  const minp = createMmdTest(x, { ...opts, sigmaScale: [0.5, 1, 2], aggregate: 'minp' }).test(y);
  for (const b of minp.bandwidths ?? []) {
    const alone = createMmdTest(x, { ...opts, sigma: b.sigma }).test(y);
    assert.equal(b.mmd2, alone.mmd2);
    assert.equal(b.pValue, alone.pValue);
  }
  assert.equal(minp.bandwidths?.length, 3);
});

test('drift test --mmd-backend auto: js for one small one-shot evaluation, onnxruntime for more work up to 4,000 pooled rows', () => {
  assert.equal(mmdBackend('auto', 2000, mmdEvaluations({})), 'js');
  assert.equal(mmdBackend('auto', 2000, mmdEvaluations({ sigmaScale: [0.5, 1, 2], aggregate: 'minp' })), 'onnxruntime');
  assert.equal(mmdBackend('auto', 2000, mmdEvaluations({ sigmaScale: [0.5, 1, 2] })), 'js');
  assert.equal(mmdBackend('auto', 4000, 1), 'js');
  assert.equal(mmdBackend('auto', 3000, 2), 'onnxruntime');
  assert.equal(mmdBackend('auto', 5000, 3), 'js');
  assert.equal(mmdBackend('onnxruntime', 10, 1), 'onnxruntime');
  assert.equal(mmdBackend('js', 3000, 3), 'js');
});
