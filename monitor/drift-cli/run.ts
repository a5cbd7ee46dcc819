import { ExitCode } from '../../common/errors.ts';
import { categoricalColumn, numericMatrix, readTable, resolveSelection } from '../datasets/index.ts';
import { driftErrors } from '../drift/errors.ts';
import { beginDriftTest, finishDriftTest, type DriftResult } from '../drift/drift-test.ts';
import { createMmdTest, type MmdOptions, type MmdResult } from '../drift/mmd.ts';
import { categoricalHistograms, numericHistograms, type FeatureHistogram } from './histograms.ts';
import type { DriftTestCommandOptions } from './options.ts';

export interface DriftTestOutcome {
  result: DriftResult;
  histograms: { numeric: FeatureHistogram[]; categorical: FeatureHistogram[] };
  /** 99 when drift is detected at alpha, else 0. */
  exitCode: number;
}

/** Reads both datasets, runs every test, and returns the result (no printing). */
export async function runDriftTestCommand(opts: Readonly<DriftTestCommandOptions>): Promise<DriftTestOutcome> {
  const ref = readTable(opts.reference);
  const cur = readTable(opts.current);
  const selection = resolveSelection(ref, opts.features, opts.categorical);
  const missing = [...selection.numeric, ...selection.categorical].filter((c) => !cur.columns.includes(c));
  if (missing.length > 0 && cur.columns.length !== ref.columns.length) {
    throw driftErrors.VIGIL_DRIFT_SHAPE_MISMATCH({ refCols: ref.columns.length, curCols: cur.columns.length });
  }
  const minRows = (t: typeof ref, what: string): void => {
    if (t.rows.length < 2) throw driftErrors.VIGIL_DRIFT_EMPTY_SAMPLE({ what: `${what} ${t.file}`, min: 2 });
  };
  minRows(ref, 'reference');
  minRows(cur, 'current');
  const refM = numericMatrix(ref, selection.numeric);
  const curM = numericMatrix(cur, selection.numeric);
  const categorical = selection.categorical.map((name) => categoricalColumn(ref, cur, name));
  const driftOptions = {
    alpha: opts.alpha, correction: opts.correction, permutations: opts.permutations, seed: opts.seed,
    sigma: opts.sigma, sigmaScale: opts.sigmaScale, mmdAggregate: opts.mmdAggregate, bins: opts.bins, names: selection.numeric, categorical, mmdMaxSamples: opts.mmdMaxSamples, standardize: opts.standardize,
  };
  const begun = beginDriftTest(refM, curM, driftOptions);
  const input = begun.mmdInput;
  let mmd: MmdResult | null = null;
  if (input) {
    if (mmdBackend(opts.mmdBackend, input.ref.rows + input.cur.rows, mmdEvaluations(input.options)) === 'onnxruntime') {
      // Loaded on demand: the native onnxruntime binding must not slow down every vigil command.
      const { createMmdTestOrt } = await import('../drift/mmd-ort.ts');
      mmd = await (await createMmdTestOrt(input.ref, input.options)).test(input.cur);
    } else {
      mmd = createMmdTest(input.ref, input.options).test(input.cur);
    }
  }
  const result = finishDriftTest(begun, mmd, driftOptions);
  return {
    result,
    histograms: { numeric: numericHistograms(refM, curM, selection.numeric), categorical: categoricalHistograms(categorical) },
    exitCode: result.drift ? ExitCode.thresholds : ExitCode.ok,
  };
}

/**
 * Pooled sizes up to which `auto` may use onnxruntime: 5–6x faster per evaluation there (see
 * BENCHMARKS.md); above it the two take about the same time but onnxruntime's float64 blocks of the
 * current window need ~5x the memory (1.4 GB vs 279 MB at 5,000 + 5,000).
 */
export const ORT_AUTO_MAX_POOLED = 4000;

/**
 * `vigil drift test` runs ONE evaluation, so onnxruntime's start-up (loading the native binding,
 * building the session: ~0.2–0.4 s) is paid for that one evaluation. Measured one-shot at
 * 1,000 + 1,000, d = 64, B = 100 (BENCHMARKS.md): the JS path takes about half of onnxruntime's
 * time with one bandwidth, and about the same at 2,000 + 2,000 or with three min-p bandwidths. So
 * `auto` uses onnxruntime only when pooled rows × bandwidth evaluations exceed this much work.
 */
export const ORT_AUTO_MIN_WORK = 4000;

/**
 * auto: the JS path for small one-shot evaluations (onnxruntime's start-up would dominate), else
 * onnxruntime unless the window is so large that its memory grows past the JS path's.
 * `evaluations` is the number of separate kernel evaluations (bandwidths under min-p, else 1).
 */
export function mmdBackend(choice: DriftTestCommandOptions['mmdBackend'], pooled: number, evaluations = 1): 'js' | 'onnxruntime' {
  if (choice !== 'auto') return choice;
  return pooled <= ORT_AUTO_MAX_POOLED && pooled * evaluations > ORT_AUTO_MIN_WORK ? 'onnxruntime' : 'js';
}

/** How many kernel evaluations an MMD test makes: one per bandwidth under min-p, else one (kernels averaged). */
export function mmdEvaluations(options: Pick<MmdOptions, 'sigma' | 'sigmaScale' | 'aggregate'>): number {
  if (options.aggregate !== 'minp') return 1;
  if (options.sigma !== undefined) return Array.isArray(options.sigma) ? options.sigma.length : 1;
  return options.sigmaScale?.length ?? 1;
}
