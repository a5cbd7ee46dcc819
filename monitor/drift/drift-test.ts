import { chiSquareHomogeneity } from './chi2.ts';
import { correct, type Correction } from './corrections.ts';
import { driftErrors } from './errors.ts';
import { ksPerFeature, type KsFeatureResult, type KsResult } from './ks-features.ts';
import { assertSameColumns, column, type Matrix } from './matrix.ts';
import { createMmdTest, type MmdOptions, type MmdResult } from './mmd.ts';
import { createRng, drawSubset } from './rng.ts';
import { categoricalPsi, numericPsi } from './psi.ts';

export interface CategoricalColumn { name: string; reference: readonly string[]; current: readonly string[] }

export interface DriftOptions {
  /** Significance level for every test (default in the CLI: 0.05). */
  alpha: number;
  /** Multiple-testing correction across features (and, separately, across categorical columns). */
  correction: Correction;
  /** MMD permutations (B). */
  permutations: number;
  seed: number;
  /** MMD bandwidth(s); omitted: median heuristic on the reference. */
  sigma?: number | number[];
  /** MMD bandwidths as multiples of the median heuristic (not with `sigma`). */
  sigmaScale?: number[];
  /** How several MMD bandwidths combine (default mean). */
  mmdAggregate?: 'mean' | 'minp';
  /** Quantile bins of the reference for the numeric PSI. */
  bins: number;
  /** Names of the numeric columns (default f0, f1, ...). */
  names?: string[];
  categorical?: CategoricalColumn[];
  /** Run the multivariate MMD test on the numeric columns (default true). */
  mmd?: boolean;
  /**
   * The kernel matrix is O(n²) in memory: above this many rows per side, MMD runs on a seeded
   * random subsample of that many rows (KS, chi-square and PSI always use every row). Default: no limit.
   */
  mmdMaxSamples?: number;
  /**
   * Scale every numeric feature by the reference's mean and standard deviation before MMD, so one
   * large-valued feature does not swamp the RBF distance (default false: raw values, as alibi-detect).
   */
  standardize?: boolean;
}

export interface NumericFeatureResult extends KsFeatureResult { psi: number }
export interface CategoricalResult { name: string; test: 'chi2'; statistic: number; pValue: number; dof: number; psi: number; drift: boolean }

/** vigil.drift.result/v1 (SPEC.md "Drift result"). */
export interface DriftResult {
  schema: 'vigil.drift.result/v1';
  alpha: number;
  nReference: number;
  nCurrent: number;
  drift: boolean;
  ks: Omit<KsResult, 'features'> & { features: NumericFeatureResult[] };
  mmd: MmdResult | null;
  categorical: CategoricalResult[];
  timingsMs: { ks: number; mmd: number; categorical: number; total: number };
}

/**
 * The full offline drift test: per-feature KS (+ PSI) on the numeric columns, MMD on all numeric
 * columns jointly, chi-square (+ PSI) on categorical columns. Drift if any family detects it.
 */
export function runDriftTest(ref: Matrix, cur: Matrix, opts: DriftOptions): DriftResult {
  const begun = beginDriftTest(ref, cur, opts);
  const mmd = begun.mmdInput ? createMmdTest(begun.mmdInput.ref, begun.mmdInput.options).test(begun.mmdInput.cur) : null;
  return finishDriftTest(begun, mmd, opts);
}

/** The MMD inputs after subsampling/standardising, for callers that run MMD another way (async). */
export interface MmdInput { ref: Matrix; cur: Matrix; options: MmdOptions }

export interface BegunDriftTest {
  t0: number;
  ksMs: number;
  nReference: number;
  nCurrent: number;
  ks: DriftResult['ks'];
  mmdInput: MmdInput | null;
}

/** Validation, KS and PSI; prepares (but does not run) the MMD stage. */
export function beginDriftTest(ref: Matrix, cur: Matrix, opts: DriftOptions): BegunDriftTest {
  const t0 = performance.now();
  assertSameColumns(ref, cur);
  if (!Number.isInteger(opts.bins) || opts.bins < 2) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'bins', value: opts.bins, rule: 'a whole number >= 2' });
  if (!(opts.alpha > 0 && opts.alpha < 1)) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'alpha', value: opts.alpha, rule: 'a number between 0 and 1 (exclusive)' });
  const hasNumeric = ref.cols > 0;
  const ks = hasNumeric ? ksPerFeature(ref, cur, { alpha: opts.alpha, correction: opts.correction, names: opts.names }) : { correction: opts.correction, detected: false, features: [] };
  const features = ks.features.map((f, c) => ({ ...f, psi: numericPsi(Float64Array.from(column(ref, c)).sort(), column(cur, c), opts.bins) }));
  let mmdInput: MmdInput | null = null;
  if (hasNumeric && opts.mmd !== false) {
    const scale = opts.standardize ? referenceScaler(ref) : (m: Matrix): Matrix => m;
    mmdInput = {
      ref: scale(subsampleRows(ref, opts.mmdMaxSamples, opts.seed)),
      cur: scale(subsampleRows(cur, opts.mmdMaxSamples, opts.seed + 1)),
      options: { sigma: opts.sigma, sigmaScale: opts.sigmaScale, aggregate: opts.mmdAggregate, permutations: opts.permutations, seed: opts.seed, alpha: opts.alpha },
    };
  }
  const firstCat = opts.categorical?.[0];
  return {
    t0,
    ksMs: performance.now() - t0,
    nReference: hasNumeric ? ref.rows : (firstCat?.reference.length ?? 0),
    nCurrent: hasNumeric ? cur.rows : (firstCat?.current.length ?? 0),
    ks: { correction: ks.correction, detected: ks.detected, features },
    mmdInput,
  };
}

/** Categorical tests and the assembled vigil.drift.result/v1. */
export function finishDriftTest(begun: BegunDriftTest, mmd: MmdResult | null, opts: DriftOptions): DriftResult {
  const t2 = performance.now();
  const categorical = categoricalResults(opts.categorical ?? [], opts.alpha, opts.correction);
  const t3 = performance.now();
  return {
    schema: 'vigil.drift.result/v1',
    alpha: opts.alpha,
    nReference: begun.nReference,
    nCurrent: begun.nCurrent,
    drift: begun.ks.detected || (mmd?.detected ?? false) || categorical.some((c) => c.drift),
    ks: begun.ks,
    mmd,
    categorical,
    timingsMs: { ks: begun.ksMs, mmd: t2 - begun.t0 - begun.ksMs, categorical: t3 - t2, total: t3 - begun.t0 },
  };
}

function categoricalResults(columns: CategoricalColumn[], alpha: number, correction: Correction): CategoricalResult[] {
  const tests = columns.map((c) => {
    if (c.reference.length === 0 || c.current.length === 0) throw driftErrors.VIGIL_DRIFT_EMPTY_SAMPLE({ what: `categorical column ${c.name}`, min: 1 });
    return { name: c.name, chi2: chiSquareHomogeneity(c.reference, c.current), psi: categoricalPsi(c.reference, c.current) };
  });
  const corrected = correct(tests.map((t) => t.chi2.pValue), alpha, correction);
  return tests.map((t, i) => ({
    name: t.name, test: 'chi2' as const, statistic: t.chi2.statistic, pValue: t.chi2.pValue, dof: t.chi2.dof, psi: t.psi,
    drift: corrected.rejected[i] as boolean,
  }));
}

/** A seeded uniform subsample of `max` rows (in their original order), or the matrix itself. */
export function subsampleRows(m: Matrix, max: number | undefined, seed: number): Matrix {
  if (max === undefined || m.rows <= max) return m;
  const rows = drawSubset(createRng(seed), Int32Array.from({ length: m.rows }, (_, i) => i), max, new Int32Array(max));
  const data = new Float64Array(max * m.cols);
  rows.forEach((r, k) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), k * m.cols));
  return { data, rows: max, cols: m.cols };
}

/** z-scores with the reference's per-feature mean and standard deviation (constant features: sd 1). */
export function referenceScaler(ref: Matrix): (m: Matrix) => Matrix {
  const mean = new Float64Array(ref.cols);
  const sd = new Float64Array(ref.cols);
  for (let c = 0; c < ref.cols; c++) {
    const col = column(ref, c);
    const mu = col.reduce((a, b) => a + b, 0) / col.length;
    const v = col.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(1, col.length - 1);
    mean[c] = mu;
    sd[c] = v > 0 ? Math.sqrt(v) : 1;
  }
  return (m) => {
    const data = new Float64Array(m.data.length);
    for (let i = 0; i < data.length; i++) data[i] = ((m.data[i] as number) - (mean[i % m.cols] as number)) / (sd[i % m.cols] as number);
    return { data, rows: m.rows, cols: m.cols };
  };
}
