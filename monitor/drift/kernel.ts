import { forEachDistanceTile, TILE_COLS, TILE_ROWS } from './gemm.ts';
import type { Matrix } from './matrix.ts';
import { createPacked, type PackedSymmetric } from './packed.ts';
import { selectKth } from './select.ts';

/**
 * Gaussian RBF kernel k(x, y) = mean over σ of exp(−‖x − y‖² / (2σ²)) — alibi-detect's
 * GaussianRBF with one or several bandwidths.
 */
export function gammasOf(sigmas: readonly number[]): Float64Array {
  return Float64Array.from(sigmas, (s) => 1 / (2 * s * s));
}

export function rbf(dist2: number, gammas: Float64Array): number {
  if (gammas.length === 1) return Math.exp(-dist2 * (gammas[0] as number));
  let s = 0;
  for (let g = 0; g < gammas.length; g++) s += Math.exp(-dist2 * (gammas[g] as number));
  return s / gammas.length;
}

/**
 * Median heuristic, as alibi-detect's sigma_median(x_ref, x_ref, dist): alibi sorts the full
 * n×n squared-distance matrix of the reference with itself (n zeros on the diagonal, every pair
 * twice) and takes element n + (n² − n) // 2 − 1, which is the lower median of the M = n(n−1)/2
 * distinct pairs, d_(⌈M/2⌉). σ = sqrt(d / 2). `pairDistances` holds those M values (reordered).
 */
export function medianSigma(pairDistances: Float64Array): number {
  const m = pairDistances.length;
  const median = m > 0 ? selectKth(pairDistances, Math.ceil(m / 2) - 1) : 0;
  if (median > 0) return Math.sqrt(median / 2);
  return degenerateSigma(pairDistances);
}

/**
 * The bandwidth when the median squared distance is 0 (more than half the reference pairs are
 * identical rows, e.g. a constant or heavily duplicated reference): the mean squared distance
 * takes the median's place (σ = sqrt(mean / 2)); if that is 0 too (every row identical), σ = 1.
 * Documented in README ("MMD bandwidth"); `--sigma` overrides it as always.
 */
export function degenerateSigma(pairDistances: Float64Array): number {
  let sum = 0;
  for (const d of pairDistances) sum += d;
  const mean = pairDistances.length > 0 ? sum / pairDistances.length : 0;
  return mean > 0 && Number.isFinite(mean) ? Math.sqrt(mean / 2) : 1;
}

/** Squared distances of all reference pairs i < j, computed through the GEMM tiles. */
export function pairSquaredDistances(x: Matrix, norms: Float64Array): Float64Array {
  const n = x.rows;
  const out = new Float64Array((n * (n - 1)) / 2);
  let rowStart = 0;
  const starts = new Float64Array(n);
  for (let i = 0; i < n; i++) { starts[i] = rowStart - i - 1; rowStart += n - i - 1; }
  forEachDistanceTile(x, norms, x, norms, true, (i0, i1, j0, j1, tile) => {
    const width = j1 - j0;
    for (let i = i0; i < i1; i++) {
      const base = starts[i] as number;
      for (let j = Math.max(j0, i + 1); j < j1; j++) out[base + j] = tile[(i - i0) * width + (j - j0)] as number;
    }
  });
  return out;
}

/** A kernel block with its sums: exact (float64) and of the stored float32 values. */
export interface SelfBlock { packed: PackedSymmetric; pairSum: number; storedRowSums: Float64Array; storedPairSum: number }
export interface CrossBlock { data: Float32Array; sum: number; storedRowSumsX: Float64Array; storedRowSumsY: Float64Array; storedSum: number }

/** A tile visitor (forEachDistanceTile's callback) and the block it fills. */
interface BlockBuilder<B> { visit: (i0: number, i1: number, j0: number, j1: number, tile: Float64Array) => void; block: () => B }

/** k(x_i, x_j) for i < j, stored packed in float32; sums kept in float64. */
export function selfKernel(x: Matrix, norms: Float64Array, gammas: Float64Array): SelfBlock {
  return selfKernels(x, norms, [gammas])[0] as SelfBlock;
}

/**
 * One self block per bandwidth set from ONE pass of distance tiles: the GEMM and the squared
 * distances are computed once and feed every set's exp (min-p tests several bandwidths on the same
 * window). Each block is bit-identical to selfKernel's for its bandwidths alone.
 */
export function selfKernels(x: Matrix, norms: Float64Array, gammasList: readonly Float64Array[]): SelfBlock[] {
  const builders = gammasList.map((g) => selfBuilder(x.rows, g));
  forEachDistanceTile(x, norms, x, norms, true, (i0, i1, j0, j1, tile) => { for (const b of builders) b.visit(i0, i1, j0, j1, tile); });
  return builders.map((b) => b.block());
}

/**
 * The self blocks from pair distances already computed (pairSquaredDistances' packed order, e.g.
 * those the median heuristic read): the tiles are replayed in forEachDistanceTile's order, so the
 * blocks and their sums are bit-identical to selfKernels' without a second GEMM pass.
 */
export function selfKernelsFromDistances(pairDistances: Float64Array, n: number, gammasList: readonly Float64Array[]): SelfBlock[] {
  if (pairDistances.length !== (n * (n - 1)) / 2) throw new RangeError(`${pairDistances.length} pair distances are not those of ${n} rows`);
  const builders = gammasList.map((g) => selfBuilder(n, g));
  const tile = new Float64Array(TILE_ROWS * TILE_COLS);
  const starts = new Float64Array(n);
  for (let i = 0, rowStart = 0; i < n; i++) { starts[i] = rowStart - i - 1; rowStart += n - i - 1; }
  for (let i0 = 0; i0 < n; i0 += TILE_ROWS) {
    const i1 = Math.min(i0 + TILE_ROWS, n);
    for (let j0 = i0; j0 < n; j0 += TILE_COLS) {
      const j1 = Math.min(j0 + TILE_COLS, n);
      const width = j1 - j0;
      for (let i = i0; i < i1; i++) {
        const base = starts[i] as number;
        const t = (i - i0) * width - j0;
        for (let j = Math.max(j0, i + 1); j < j1; j++) tile[t + j] = pairDistances[base + j] as number;
      }
      for (const b of builders) b.visit(i0, i1, j0, j1, tile);
    }
  }
  return builders.map((b) => b.block());
}

function selfBuilder(n: number, gammas: Float64Array): BlockBuilder<SelfBlock> {
  const packed = createPacked(n);
  const { data, rowStart } = packed;
  const storedRowSums = new Float64Array(n);
  let pairSum = 0;
  let storedPairSum = 0;
  const visit = (i0: number, i1: number, j0: number, j1: number, tile: Float64Array): void => {
    const width = j1 - j0;
    for (let i = i0; i < i1; i++) {
      const base = rowStart[i] as number;
      let rowAcc = 0;
      for (let j = Math.max(j0, i + 1); j < j1; j++) {
        const k = rbf(tile[(i - i0) * width + (j - j0)] as number, gammas);
        pairSum += k;
        const stored = Math.fround(k);
        data[base + j] = stored;
        rowAcc += stored;
        storedRowSums[j] = (storedRowSums[j] as number) + stored;
      }
      storedRowSums[i] = (storedRowSums[i] as number) + rowAcc;
      storedPairSum += rowAcc;
    }
  };
  return { visit, block: () => ({ packed, pairSum, storedRowSums, storedPairSum }) };
}

/** k(x_i, y_j) for all i, j, row-major float32. */
export function crossKernel(x: Matrix, xNorms: Float64Array, y: Matrix, yNorms: Float64Array, gammas: Float64Array): CrossBlock {
  return crossKernels(x, xNorms, y, yNorms, [gammas])[0] as CrossBlock;
}

/** One cross block per bandwidth set from one pass of distance tiles (as selfKernels). */
export function crossKernels(x: Matrix, xNorms: Float64Array, y: Matrix, yNorms: Float64Array, gammasList: readonly Float64Array[]): CrossBlock[] {
  const builders = gammasList.map((g) => crossBuilder(x.rows, y.rows, g));
  forEachDistanceTile(x, xNorms, y, yNorms, false, (i0, i1, j0, j1, tile) => { for (const b of builders) b.visit(i0, i1, j0, j1, tile); });
  return builders.map((b) => b.block());
}

function crossBuilder(rows: number, m: number, gammas: Float64Array): BlockBuilder<CrossBlock> {
  const data = new Float32Array(rows * m);
  const storedRowSumsX = new Float64Array(rows);
  const storedRowSumsY = new Float64Array(m);
  let sum = 0;
  let storedSum = 0;
  const visit = (i0: number, i1: number, j0: number, j1: number, tile: Float64Array): void => {
    const width = j1 - j0;
    for (let i = i0; i < i1; i++) {
      let rowAcc = 0;
      for (let j = j0; j < j1; j++) {
        const k = rbf(tile[(i - i0) * width + (j - j0)] as number, gammas);
        sum += k;
        const stored = Math.fround(k);
        data[i * m + j] = stored;
        rowAcc += stored;
        storedRowSumsY[j] = (storedRowSumsY[j] as number) + stored;
      }
      storedRowSumsX[i] = (storedRowSumsX[i] as number) + rowAcc;
      storedSum += rowAcc;
    }
  };
  return { visit, block: () => ({ data, sum, storedRowSumsX, storedRowSumsY, storedSum }) };
}
