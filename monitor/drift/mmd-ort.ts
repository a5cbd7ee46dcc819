import ort from 'onnxruntime-node';
import type { Matrix } from './matrix.ts';
import { poolWithCurrent, prepareReference, summarizePermutations, type MmdOptions, type MmdResult } from './mmd.ts';
import { gemmTransBModel } from './onnx-gemm.ts';
import { mmd2FromSums, type PooledKernel } from './permutations.ts';
import { createRng, drawSubset } from './rng.ts';

/**
 * The MMD permutation test with the B permutation statistics computed as ONE matrix product on
 * onnxruntime-node's GEMM: with L the B×N 0/1 label matrix (1 = "current" side of permutation p)
 * and K′ the pooled kernel without its diagonal, V = K′Lᵀ and S_YY(p) = ½ Σ_i L[p,i] V[i,p].
 * Same kernel blocks, same permutations (same RNG draws) and the same exact observed MMD² as
 * createMmdTest; only the permuted sums are accumulated in float32 by the GEMM (relative error
 * ~1e-7). Asynchronous because onnxruntime's run() is; not re-exported from index.ts so that
 * importing the engine does not load onnxruntime.
 */
export interface AsyncMmdTest {
  readonly sigma: number[];
  test(current: Matrix): Promise<MmdResult>;
  testDetailed(current: Matrix): Promise<{ result: MmdResult; permuted: Float64Array }>;
}

let session: Promise<ort.InferenceSession> | undefined;

function gemmSession(): Promise<ort.InferenceSession> {
  session ??= ort.InferenceSession.create(gemmTransBModel('float32'), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  return session;
}

export async function createMmdTestOrt(reference: Matrix, opts: MmdOptions): Promise<AsyncMmdTest> {
  const prep = prepareReference(reference, opts);
  const gemm = await gemmSession();
  const testDetailed = async (current: Matrix): Promise<{ result: MmdResult; permuted: Float64Array }> => {
    const { kernel, mmd2 } = poolWithCurrent(prep, current);
    const permuted = await permutedByGemm(gemm, kernel, opts);
    return { result: summarizePermutations(mmd2, permuted, prep.sigma, opts), permuted };
  };
  return Object.freeze({ sigma: [...prep.sigma], test: async (c: Matrix) => (await testDetailed(c)).result, testDetailed });
}

async function permutedByGemm(gemm: ort.InferenceSession, k: PooledKernel, opts: MmdOptions): Promise<Float64Array> {
  const { n, m } = k;
  const total = n + m;
  const B = opts.permutations;
  const K = denseKernel(k);
  const labels = new Float32Array(B * total);
  const subsets: Int32Array[] = [];
  const rng = createRng(opts.seed);
  const scratch = Int32Array.from({ length: total }, (_, i) => i);
  for (let p = 0; p < B; p++) {
    const s = drawSubset(rng, scratch, m, new Int32Array(m)).slice();
    subsets.push(s);
    for (const i of s) labels[p * total + i] = 1;
  }
  const out = await gemm.run({ A: new ort.Tensor('float32', K, [total, total]), B: new ort.Tensor('float32', labels, [B, total]) });
  const V = out.Y?.data as Float32Array;
  const rowSums = new Float64Array(total);
  for (let i = 0; i < n; i++) rowSums[i] = (k.ref.storedRowSums[i] as number) + (k.cross.storedRowSumsX[i] as number);
  for (let j = 0; j < m; j++) rowSums[n + j] = (k.cur.storedRowSums[j] as number) + (k.cross.storedRowSumsY[j] as number);
  const allPairs = k.ref.storedPairSum + k.cur.storedPairSum + k.cross.storedSum;
  const permuted = new Float64Array(B);
  subsets.forEach((s, p) => {
    let quad = 0;
    let rsum = 0;
    for (const i of s) { quad += V[i * B + p] as number; rsum += rowSums[i] as number; }
    const sYY = quad / 2;
    const sXY = rsum - 2 * sYY;
    permuted[p] = mmd2FromSums(allPairs - sYY - sXY, sYY, sXY, n, m);
  });
  return permuted;
}

/** The pooled (n+m)² kernel matrix, zero diagonal, from the stored float32 blocks. */
function denseKernel(k: PooledKernel): Float32Array {
  const { n, m } = k;
  const N = n + m;
  const K = new Float32Array(N * N);
  const fillPacked = (data: Float32Array, rowStart: Float64Array, size: number, offset: number): void => {
    for (let i = 0; i < size; i++) {
      const base = rowStart[i] as number;
      for (let j = i + 1; j < size; j++) {
        const v = data[base + j] as number;
        K[(offset + i) * N + offset + j] = v;
        K[(offset + j) * N + offset + i] = v;
      }
    }
  };
  fillPacked(k.ref.packed.data, k.ref.packed.rowStart, n, 0);
  fillPacked(k.cur.packed.data, k.cur.packed.rowStart, m, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const v = k.cross.data[i * m + j] as number;
      K[i * N + n + j] = v;
      K[(n + j) * N + i] = v;
    }
  }
  return K;
}
