import { driftErrors } from './errors.ts';
import { rowSquaredNorms } from './gemm.ts';
import { crossKernel, gammasOf, medianSigma, pairSquaredDistances, selfKernel, type SelfBlock } from './kernel.ts';
import { assertFinite, assertSameColumns, type Matrix } from './matrix.ts';
import { mmd2FromSums, permutedMmd2, type PooledKernel } from './permutations.ts';
import { createRng } from './rng.ts';

/** The SPEC "mmd" block of vigil.drift.result/v1. */
export interface MmdResult {
  /** Unbiased MMD² (diagonal excluded), alibi-detect's mmd2_from_kernel_matrix. */
  mmd2: number;
  /** (1 + #{permuted MMD² >= observed}) / (1 + B): never 0. */
  pValue: number;
  sigma: number[];
  permutations: number;
  /** MMD² above which drift is declared at alpha: the permuted values sorted descending, at index ⌊alpha·B⌋ (alibi). */
  threshold: number;
  detected: boolean;
}

export interface MmdOptions {
  /** Bandwidth(s); omitted: the median heuristic on the reference. Several are averaged. */
  sigma?: number | number[];
  permutations: number;
  seed: number;
  alpha: number;
}

export interface MmdTest {
  readonly sigma: number[];
  test(current: Matrix): MmdResult;
  /** Same as test(), also returning the B permuted statistics (for checks and plots). */
  testDetailed(current: Matrix): { result: MmdResult; permuted: Float64Array };
}

/** The reference side of an MMD test: bandwidth(s) and the reference×reference kernel block. */
export interface PreparedReference {
  reference: Matrix;
  refNorms: Float64Array;
  sigma: number[];
  gammas: Float64Array;
  refBlock: SelfBlock;
}

export function prepareReference(reference: Matrix, opts: MmdOptions): PreparedReference {
  validateOptions(opts);
  if (reference.rows < 2) throw driftErrors.VIGIL_DRIFT_EMPTY_SAMPLE({ what: 'the reference', min: 2 });
  assertFinite(reference, 'reference');
  const refNorms = rowSquaredNorms(reference);
  const sigma = opts.sigma === undefined
    ? [medianSigma(pairSquaredDistances(reference, refNorms))]
    : (Array.isArray(opts.sigma) ? [...opts.sigma] : [opts.sigma]);
  const gammas = gammasOf(sigma);
  return { reference, refNorms, sigma, gammas, refBlock: selfKernel(reference, refNorms, gammas) };
}

/** The cross and current blocks for one evaluation, and the observed (exact, float64) MMD². */
export function poolWithCurrent(prep: PreparedReference, current: Matrix): { kernel: PooledKernel; mmd2: number } {
  validateCurrent(prep, current);
  const n = prep.reference.rows;
  const m = current.rows;
  const curNorms = rowSquaredNorms(current);
  const cross = crossKernel(prep.reference, prep.refNorms, current, curNorms, prep.gammas);
  const cur = selfKernel(current, curNorms, prep.gammas);
  return { kernel: { ref: prep.refBlock, cross, cur, n, m }, mmd2: mmd2FromSums(prep.refBlock.pairSum, cur.pairSum, cross.sum, n, m) };
}

/** The current window must match the reference's columns, hold two rows and be finite. */
export function validateCurrent(prep: PreparedReference, current: Matrix): void {
  assertSameColumns(prep.reference, current);
  if (current.rows < 2) throw driftErrors.VIGIL_DRIFT_EMPTY_SAMPLE({ what: 'the current window', min: 2 });
  assertFinite(current, 'current');
}

/** p-value (never 0), alibi's distance threshold at alpha, and the verdict. */
export function summarizePermutations(mmd2: number, permuted: Float64Array, sigma: number[], opts: MmdOptions): MmdResult {
  let atLeast = 0;
  for (const v of permuted) if (v >= mmd2) atLeast++;
  const pValue = (1 + atLeast) / (1 + opts.permutations);
  const sorted = Float64Array.from(permuted).sort().reverse();
  const threshold = sorted[Math.floor(opts.alpha * opts.permutations)] ?? (sorted[sorted.length - 1] as number);
  return { mmd2, pValue, sigma: [...sigma], permutations: opts.permutations, threshold, detected: pValue < opts.alpha };
}

/**
 * Prepares an MMD permutation test against a fixed reference: the bandwidth and the
 * reference×reference kernel block are computed here once; each test(current) computes only the
 * cross and current blocks, then all permutations from the pooled blocks.
 */
export function createMmdTest(reference: Matrix, opts: MmdOptions): MmdTest {
  const prep = prepareReference(reference, opts);
  const testDetailed = (current: Matrix): { result: MmdResult; permuted: Float64Array } => {
    const { kernel, mmd2 } = poolWithCurrent(prep, current);
    const permuted = permutedMmd2(kernel, createRng(opts.seed), opts.permutations);
    return { result: summarizePermutations(mmd2, permuted, prep.sigma, opts), permuted };
  };
  return Object.freeze({ sigma: [...prep.sigma], test: (current: Matrix) => testDetailed(current).result, testDetailed });
}

function validateOptions(opts: MmdOptions): void {
  if (!Number.isInteger(opts.permutations) || opts.permutations < 1) {
    throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'permutations', value: opts.permutations, rule: 'a whole number >= 1' });
  }
  if (!(opts.alpha > 0 && opts.alpha < 1)) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'alpha', value: opts.alpha, rule: 'a number between 0 and 1 (exclusive)' });
  if (!Number.isInteger(opts.seed)) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'seed', value: opts.seed, rule: 'an integer' });
  const sigmas = opts.sigma === undefined ? [] : Array.isArray(opts.sigma) ? opts.sigma : [opts.sigma];
  if (opts.sigma !== undefined && (sigmas.length === 0 || sigmas.some((s) => !(s > 0 && Number.isFinite(s))))) {
    throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'sigma', value: opts.sigma, rule: 'one or more positive numbers' });
  }
}
