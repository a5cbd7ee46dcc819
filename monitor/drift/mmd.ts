import { driftErrors } from './errors.ts';
import { rowSquaredNorms } from './gemm.ts';
import { crossKernels, gammasOf, medianSigma, pairSquaredDistances, selfKernels, selfKernelsFromDistances, type CrossBlock, type SelfBlock } from './kernel.ts';
import { assertFinite, assertSameColumns, type Matrix } from './matrix.ts';
import { mmd2FromSums, permutedMmd2FromPlan, type PooledKernel } from './permutations.ts';
import { drawPermutationPlan, type PermutationPlan } from './permutation-plan.ts';
import { minPAggregate, type BandwidthOutcome } from './mmd-aggregate.ts';

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
  /** Set when several bandwidths were combined by min-p (mmd-aggregate.ts); mmd2 and threshold are then the deciding bandwidth's. */
  aggregate?: 'minp';
  /** With `aggregate`: each bandwidth's own result on the same permutations. */
  bandwidths?: { sigma: number; mmd2: number; pValue: number; threshold: number }[];
}

/** How several bandwidths combine (see MmdOptions.aggregate); the one list the CLI and the monitor config accept. */
export const MMD_AGGREGATES = ['mean', 'minp'] as const;

export interface MmdOptions {
  /** Bandwidth(s); omitted: the median heuristic on the reference. Several are averaged. */
  sigma?: number | number[];
  /**
   * Bandwidths as multiples of the median heuristic (e.g. [0.5] or [0.5, 1, 2]), averaged like
   * `sigma`; not together with `sigma`. Omitted (and no `sigma`): [1], alibi's default.
   */
  sigmaScale?: number[];
  /**
   * How several bandwidths are combined: `mean` averages the kernels (alibi's multi-σ kernel, the
   * default); `minp` tests each bandwidth on the same permutations and lets the smallest p-value
   * decide, calibrated over the permutations (mmd-aggregate.ts).
   */
  aggregate?: (typeof MMD_AGGREGATES)[number];
  permutations: number;
  seed: number;
  alpha: number;
}

export interface MmdTest {
  readonly sigma: number[];
  test(current: Matrix): MmdResult;
  /** Same as test(), also returning the B permuted statistics (for checks and plots). */
  testDetailed(current: Matrix): { result: MmdResult; permuted: Float64Array };
  /**
   * The test on a shared permutation plan (family.ts), also returning each bandwidth's observed
   * and permuted MMD² (one entry unless several bandwidths are combined by min-p).
   */
  testWithPlan(current: Matrix, plan: PermutationPlan): { result: MmdResult; permuted: Float64Array; outcomes: { mmd2: number; permuted: Float64Array }[] };
}

/** The reference side of an MMD test: bandwidth(s) and the reference×reference kernel block. */
export interface PreparedReference {
  reference: Matrix;
  refNorms: Float64Array;
  sigma: number[];
  gammas: Float64Array;
  refBlock: SelfBlock;
}

/**
 * The reference side of the test: one prepared reference, or with `aggregate: 'minp'` and several
 * bandwidths one per bandwidth (the median heuristic is computed once either way).
 */
export function prepareReferences(reference: Matrix, opts: MmdOptions): PreparedReference[] {
  validateOptions(opts);
  if (reference.rows < 2) throw driftErrors.VIGIL_DRIFT_EMPTY_SAMPLE({ what: 'the reference', min: 2 });
  assertFinite(reference, 'reference');
  const refNorms = rowSquaredNorms(reference);
  let sigmas: number[];
  let distances: Float64Array | undefined;
  if (opts.sigma !== undefined) sigmas = Array.isArray(opts.sigma) ? [...opts.sigma] : [opts.sigma];
  else {
    const pairs = pairSquaredDistances(reference, refNorms);
    // The median reorders its input: a copy keeps the pair distances for the reference blocks
    // (one GEMM pass instead of two), up to a size where the copy's memory is not worth it.
    if (reference.rows <= REUSE_DISTANCES_MAX_ROWS) distances = pairs.slice();
    const median = medianSigma(pairs);
    sigmas = (opts.sigmaScale ?? [1]).map((k) => k * median);
  }
  const groups = opts.aggregate === 'minp' ? sigmas.map((s) => [s]) : [sigmas];
  const gammasList = groups.map(gammasOf);
  const blocks = distances ? selfKernelsFromDistances(distances, reference.rows, gammasList) : selfKernels(reference, refNorms, gammasList);
  return groups.map((sigma, k) => ({ reference, refNorms, sigma, gammas: gammasList[k] as Float64Array, refBlock: blocks[k] as SelfBlock }));
}

/**
 * Reference × window sizes up to which several bandwidths share one distance pass of the window
 * (their cross and current blocks held together: 2,000 × 2,000 is 24 MB per bandwidth).
 */
export const ONE_PASS_MAX_PAIRS = 4_000_000;

/** Reference sizes up to which the median heuristic's pair distances are kept for the kernel blocks (3,000 rows: 36 MB). */
export const REUSE_DISTANCES_MAX_ROWS = 3000;

/** The cross and current blocks for one evaluation, and the observed (exact, float64) MMD². */
export function poolWithCurrent(prep: PreparedReference, current: Matrix): { kernel: PooledKernel; mmd2: number } {
  return poolAllWithCurrent([prep], current)[0] as { kernel: PooledKernel; mmd2: number };
}

/**
 * poolWithCurrent for several prepared references of the same reference matrix (one per bandwidth
 * under min-p): the window's distances are computed once and feed every bandwidth's kernel.
 */
export function poolAllWithCurrent(preps: readonly PreparedReference[], current: Matrix): { kernel: PooledKernel; mmd2: number }[] {
  const first = preps[0];
  if (!first) return [];
  validateCurrent(first, current);
  const n = first.reference.rows;
  const m = current.rows;
  const curNorms = rowSquaredNorms(current);
  const gammasList = preps.map((p) => p.gammas);
  const crosses = crossKernels(first.reference, first.refNorms, current, curNorms, gammasList);
  const curs = selfKernels(current, curNorms, gammasList);
  return preps.map((prep, k) => {
    const cross = crosses[k] as CrossBlock, cur = curs[k] as SelfBlock;
    return { kernel: { ref: prep.refBlock, cross, cur, n, m }, mmd2: mmd2FromSums(prep.refBlock.pairSum, cur.pairSum, cross.sum, n, m) };
  });
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
  const preps = prepareReferences(reference, opts);
  const testWithPlan = (current: Matrix, plan: PermutationPlan): ReturnType<MmdTest['testWithPlan']> => {
    // One distance pass for every bandwidth; the same B permutations for every bandwidth, as min-p needs.
    // Above ONE_PASS_MAX_PAIRS the bandwidths take turns, so that one set of blocks is held at a time.
    const batch = reference.rows * current.rows <= ONE_PASS_MAX_PAIRS ? preps.length : 1;
    const each: BandwidthOutcome[] = [];
    for (let b = 0; b < preps.length; b += batch) {
      const group = preps.slice(b, b + batch);
      poolAllWithCurrent(group, current).forEach(({ kernel, mmd2 }, k) => {
        const prep = group[k] as PreparedReference;
        const permuted = permutedMmd2FromPlan(kernel, plan);
        each.push({ sigma: prep.sigma[0] as number, result: summarizePermutations(mmd2, permuted, prep.sigma, opts), permuted });
      });
    }
    if (each.length === 1) {
      const r = each[0] as (typeof each)[number];
      return { result: r.result, permuted: r.permuted, outcomes: [{ mmd2: r.result.mmd2, permuted: r.permuted }] };
    }
    return { ...minPAggregate(each, opts), outcomes: each.map((o) => ({ mmd2: o.result.mmd2, permuted: o.permuted })) };
  };
  const testDetailed = (current: Matrix): { result: MmdResult; permuted: Float64Array } => {
    const { result, permuted } = testWithPlan(current, drawPermutationPlan(opts.seed, reference.rows, current.rows, opts.permutations));
    return { result, permuted };
  };
  const sigma = preps.flatMap((p) => p.sigma);
  return Object.freeze({ sigma, test: (current: Matrix) => testDetailed(current).result, testDetailed, testWithPlan });
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
  const scales = opts.sigmaScale;
  if (scales !== undefined && (scales.length === 0 || scales.some((k) => !(k > 0 && Number.isFinite(k))))) {
    throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'sigmaScale', value: scales, rule: 'one or more positive multiples of the median heuristic' });
  }
  if (opts.aggregate !== undefined && !MMD_AGGREGATES.includes(opts.aggregate)) {
    throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'aggregate', value: opts.aggregate, rule: MMD_AGGREGATES.join(' or ') });
  }
  if (scales !== undefined && opts.sigma !== undefined) {
    throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'sigma', value: opts.sigma, rule: 'either bandwidths or multiples of the median heuristic (sigmaScale), not both' });
  }
}
