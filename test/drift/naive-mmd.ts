/**
 * Plain reference implementations for the MMD checks and the benchmark's "naive" peer:
 * O(n²) loops over explicit rows, and per-permutation re-indexing of the full pooled kernel
 * matrix as alibi-detect's mmd2_from_kernel_matrix(permute=True) does.
 */
import { createRng, drawSubset, type Matrix } from '../../monitor/drift/index.ts';

export function rowsOf(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
}

export function sqDist(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += ((a[k] as number) - (b[k] as number)) ** 2;
  return s;
}

export function kernelValue(a: readonly number[], b: readonly number[], sigmas: readonly number[]): number {
  const d = sqDist(a, b);
  return sigmas.reduce((s, sg) => s + Math.exp(-d / (2 * sg * sg)), 0) / sigmas.length;
}

/** Unbiased MMD² by the textbook triple sum. */
export function tripleLoopMmd2(x: number[][], y: number[][], sigmas: readonly number[]): number {
  const n = x.length, m = y.length;
  let xx = 0, yy = 0, xy = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) xx += kernelValue(x[i] as number[], x[j] as number[], sigmas);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) yy += kernelValue(y[i] as number[], y[j] as number[], sigmas);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) xy += kernelValue(x[i] as number[], y[j] as number[], sigmas);
  return xx / (n * (n - 1)) + yy / (m * (m - 1)) - (2 * xy) / (n * m);
}

/** Full pooled kernel matrix (N×N, diagonal zeroed), Float64. */
export function pooledKernel(x: number[][], y: number[][], sigmas: readonly number[]): Float64Array[] {
  const all = [...x, ...y];
  return all.map((a, i) => Float64Array.from(all, (b, j) => (i === j ? 0 : kernelValue(a, b, sigmas))));
}

/**
 * The naive permutation loop: for each permutation, re-index the whole N×N kernel matrix into
 * (X', Y') order and sum its three blocks. Uses the same RNG and subset draws as the engine,
 * so the permuted statistics must agree.
 */
export function naivePermutedMmd2(kernel: Float64Array[], n: number, m: number, seed: number, permutations: number): number[] {
  const total = n + m;
  const rng = createRng(seed);
  const scratch = Int32Array.from({ length: total }, (_, i) => i);
  const subset = new Int32Array(m);
  const out: number[] = [];
  for (let p = 0; p < permutations; p++) {
    const s = drawSubset(rng, scratch, m, subset);
    const inY = new Uint8Array(total);
    for (const i of s) inY[i] = 1;
    const order = [...Array(total).keys()].filter((i) => !inY[i]).concat([...s]);
    const permuted = order.map((i) => Float64Array.from(order, (j) => (kernel[i] as Float64Array)[j] as number));
    let xx = 0, yy = 0, xy = 0;
    for (let i = 0; i < total; i++) {
      const row = permuted[i] as Float64Array;
      for (let j = 0; j < total; j++) {
        const v = row[j] as number;
        if (i < n && j < n) xx += v;
        else if (i >= n && j >= n) yy += v;
        else if (i >= n && j < n) xy += v;
      }
    }
    out.push(xx / (n * (n - 1)) + yy / (m * (m - 1)) - (2 * xy) / (n * m));
  }
  return out;
}
