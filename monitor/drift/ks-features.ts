import { correct, type Correction } from './corrections.ts';
import { ksFromStatistic, sortedCopy } from './ks.ts';
import { ksStatisticAgainst, prepareKsReference, type KsReference } from './ks-reference.ts';
import { assertSameColumns, columnMajor, type Matrix } from './matrix.ts';

export interface KsFeatureResult {
  name: string;
  statistic: number;
  pValue: number;
  /** p-value after the correction (Bonferroni: min(1, k p); FDR: Benjamini–Hochberg). */
  adjustedPValue: number;
  method: 'exact' | 'asymptotic';
  drift: boolean;
}

/** The SPEC "ks" block of vigil.drift.result/v1. */
export interface KsResult {
  correction: Correction;
  detected: boolean;
  features: KsFeatureResult[];
}

export interface KsOptions { alpha: number; correction: Correction; names?: string[] }

/** Per-feature two-sample KS on every column, aggregated with Bonferroni or BH-FDR. */
export function ksPerFeature(ref: Matrix, cur: Matrix, opts: KsOptions): KsResult {
  assertSameColumns(ref, cur);
  return createKsTest(ref, opts).test(cur);
}

/**
 * ksPerFeature against a fixed reference: the reference columns are sorted and indexed once here
 * (ks-reference.ts), so each test(current) ranks the current values against them instead of
 * sorting the window — sorting was most of the cost of KS.
 */
export function createKsTest(ref: Matrix, opts: KsOptions): { test(cur: Matrix): KsResult } {
  const refCols = columnMajor(ref);
  const names = Array.from({ length: ref.cols }, (_, c) => opts.names?.[c] ?? `f${c}`);
  const prepared = names.map((name, c) => prepareKsReference(sortedCopy(refCols.subarray(c * ref.rows, (c + 1) * ref.rows), `reference ${name}`)));
  const counts = new Int32Array(2 * (ref.rows + 1));
  const test = (cur: Matrix): KsResult => {
    assertSameColumns(ref, cur);
    const curCols = columnMajor(cur);
    const raw = names.map((name, c) => {
      const d = ksStatisticAgainst(prepared[c] as KsReference, curCols.subarray(c * cur.rows, (c + 1) * cur.rows), `current ${name}`, counts);
      return { name, ...ksFromStatistic(d, ref.rows, cur.rows) };
    });
    const corrected = correct(raw.map((r) => r.pValue), opts.alpha, opts.correction);
    const features = raw.map((r, i) => ({
      name: r.name, statistic: r.statistic, pValue: r.pValue, adjustedPValue: corrected.adjusted[i] as number,
      method: r.method, drift: corrected.rejected[i] as boolean,
    }));
    return { correction: opts.correction, detected: features.some((f) => f.drift), features };
  };
  return Object.freeze({ test });
}
