import { correct, type Correction } from './corrections.ts';
import { ksTwoSampleSorted, sortedCopy } from './ks.ts';
import { assertSameColumns, column, type Matrix } from './matrix.ts';

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
  const raw = [];
  for (let c = 0; c < ref.cols; c++) {
    const name = opts.names?.[c] ?? `f${c}`;
    raw.push({ name, ...ksTwoSampleSorted(sortedCopy(column(ref, c), `reference ${name}`), sortedCopy(column(cur, c), `current ${name}`)) });
  }
  const corrected = correct(raw.map((r) => r.pValue), opts.alpha, opts.correction);
  const features = raw.map((r, i) => ({
    name: r.name, statistic: r.statistic, pValue: r.pValue, adjustedPValue: corrected.adjusted[i] as number,
    method: r.method, drift: corrected.rejected[i] as boolean,
  }));
  return { correction: opts.correction, detected: features.some((f) => f.drift), features };
}
