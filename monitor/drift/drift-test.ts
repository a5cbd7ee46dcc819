import { chiSquareHomogeneity } from './chi2.ts';
import { correct, type Correction } from './corrections.ts';
import { driftErrors } from './errors.ts';
import { ksPerFeature, type KsFeatureResult, type KsResult } from './ks-features.ts';
import { assertSameColumns, column, type Matrix } from './matrix.ts';
import { createMmdTest, type MmdResult } from './mmd.ts';
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
  /** Quantile bins of the reference for the numeric PSI. */
  bins: number;
  /** Names of the numeric columns (default f0, f1, ...). */
  names?: string[];
  categorical?: CategoricalColumn[];
  /** Run the multivariate MMD test on the numeric columns (default true). */
  mmd?: boolean;
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
  const t0 = performance.now();
  assertSameColumns(ref, cur);
  if (!Number.isInteger(opts.bins) || opts.bins < 2) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'bins', value: opts.bins, rule: 'a whole number >= 2' });
  if (!(opts.alpha > 0 && opts.alpha < 1)) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'alpha', value: opts.alpha, rule: 'a number between 0 and 1 (exclusive)' });
  const hasNumeric = ref.cols > 0;
  const ks = hasNumeric ? ksPerFeature(ref, cur, { alpha: opts.alpha, correction: opts.correction, names: opts.names }) : { correction: opts.correction, detected: false, features: [] };
  const features = ks.features.map((f, c) => ({ ...f, psi: numericPsi(Float64Array.from(column(ref, c)).sort(), column(cur, c), opts.bins) }));
  const t1 = performance.now();
  const mmd = hasNumeric && opts.mmd !== false
    ? createMmdTest(ref, { sigma: opts.sigma, permutations: opts.permutations, seed: opts.seed, alpha: opts.alpha }).test(cur)
    : null;
  const t2 = performance.now();
  const categorical = categoricalResults(opts.categorical ?? [], opts.alpha, opts.correction);
  const t3 = performance.now();
  const firstCat = opts.categorical?.[0];
  return {
    schema: 'vigil.drift.result/v1',
    alpha: opts.alpha,
    nReference: hasNumeric ? ref.rows : (firstCat?.reference.length ?? 0),
    nCurrent: hasNumeric ? cur.rows : (firstCat?.current.length ?? 0),
    drift: ks.detected || (mmd?.detected ?? false) || categorical.some((c) => c.drift),
    ks: { correction: ks.correction, detected: ks.detected, features },
    mmd,
    categorical,
    timingsMs: { ks: t1 - t0, mmd: t2 - t1, categorical: t3 - t2, total: t3 - t0 },
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
