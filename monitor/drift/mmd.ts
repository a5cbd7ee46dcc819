import { driftErrors } from './errors.ts';
import { rowSquaredNorms } from './gemm.ts';
import { crossKernel, gammasOf, medianSigma, pairSquaredDistances, selfKernel, type SelfBlock } from './kernel.ts';
import { assertFinite, assertSameColumns, type Matrix } from './matrix.ts';
import { mmd2FromSums, permutedMmd2 } from './permutations.ts';
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

/**
 * Prepares an MMD permutation test against a fixed reference: the bandwidth and the
 * reference×reference kernel block are computed here once; each test(current) computes only the
 * cross and current blocks, then all permutations from the pooled blocks.
 */
export function createMmdTest(reference: Matrix, opts: MmdOptions): MmdTest {
  validateOptions(opts);
  if (reference.rows < 2) throw driftErrors.VIGIL_DRIFT_EMPTY_SAMPLE({ what: 'the reference', min: 2 });
  assertFinite(reference, 'reference');
  const refNorms = rowSquaredNorms(reference);
  const sigma = opts.sigma === undefined
    ? [medianSigma(pairSquaredDistances(reference, refNorms))]
    : (Array.isArray(opts.sigma) ? [...opts.sigma] : [opts.sigma]);
  const gammas = gammasOf(sigma);
  const refBlock: SelfBlock = selfKernel(reference, refNorms, gammas);

  const testDetailed = (current: Matrix): { result: MmdResult; permuted: Float64Array } => {
    assertSameColumns(reference, current);
    if (current.rows < 2) throw driftErrors.VIGIL_DRIFT_EMPTY_SAMPLE({ what: 'the current window', min: 2 });
    assertFinite(current, 'current');
    const n = reference.rows;
    const m = current.rows;
    const curNorms = rowSquaredNorms(current);
    const cross = crossKernel(reference, refNorms, current, curNorms, gammas);
    const cur = selfKernel(current, curNorms, gammas);
    const mmd2 = mmd2FromSums(refBlock.pairSum, cur.pairSum, cross.sum, n, m);
    const permuted = permutedMmd2({ ref: refBlock, cross, cur, n, m }, createRng(opts.seed), opts.permutations);
    let atLeast = 0;
    for (const v of permuted) if (v >= mmd2) atLeast++;
    const pValue = (1 + atLeast) / (1 + opts.permutations);
    const sorted = Float64Array.from(permuted).sort().reverse();
    const threshold = sorted[Math.floor(opts.alpha * opts.permutations)] ?? (sorted[sorted.length - 1] as number);
    return { result: { mmd2, pValue, sigma: [...sigma], permutations: opts.permutations, threshold, detected: pValue < opts.alpha }, permuted };
  };
  return Object.freeze({ sigma: [...sigma], test: (current: Matrix) => testDetailed(current).result, testDetailed });
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
