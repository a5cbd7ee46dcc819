import { ExitCode } from '../../common/errors.ts';
import { categoricalColumn, numericMatrix, readTable, resolveSelection } from '../datasets/index.ts';
import { driftErrors } from '../drift/errors.ts';
import { runDriftTest, type DriftResult } from '../drift/drift-test.ts';
import { categoricalHistograms, numericHistograms, type FeatureHistogram } from './histograms.ts';
import type { DriftTestCommandOptions } from './options.ts';

export interface DriftTestOutcome {
  result: DriftResult;
  histograms: { numeric: FeatureHistogram[]; categorical: FeatureHistogram[] };
  /** 99 when drift is detected at alpha, else 0. */
  exitCode: number;
}

/** Reads both datasets, runs every test, and returns the result (no printing). */
export function runDriftTestCommand(opts: Readonly<DriftTestCommandOptions>): DriftTestOutcome {
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
  const result = runDriftTest(refM, curM, {
    alpha: opts.alpha, correction: opts.correction, permutations: opts.permutations, seed: opts.seed,
    sigma: opts.sigma, bins: opts.bins, names: selection.numeric, categorical, mmdMaxSamples: opts.mmdMaxSamples, standardize: opts.standardize,
  });
  return {
    result,
    histograms: { numeric: numericHistograms(refM, curM, selection.numeric), categorical: categoricalHistograms(categorical) },
    exitCode: result.drift ? ExitCode.thresholds : ExitCode.ok,
  };
}
