import { normalSf } from '../watch/stats/normal.ts';
import { ksPValueFunction } from './ks-p-memo.ts';
import { prepareKsReference, type KsReference } from './ks-reference.ts';
import { sortedCopy } from './ks.ts';
import { columnMajor, type Matrix } from './matrix.ts';
import { prepareReferences, type MmdOptions, type PreparedReference } from './mmd.ts';
import { argsort } from './ks-permutation.ts';

/**
 * What the online detector needs of one stream (inputs, or reference-model outputs) against its
 * reference: per feature the sorted reference (live KS) and each reference row's position in it
 * (simulated KS), and the MMD's prepared reference (bandwidth, reference kernel block).
 * Shared by the calibration (online-calibration.ts) and the live detector (online.ts).
 */
export interface OnlineStreamReference {
  readonly source: 'inputs' | 'outputs';
  readonly names: readonly string[];
  readonly reference: Matrix;
  readonly ks: readonly KsReference[];
  /** positionOf[c][row]: rank of the row's value in feature c's ascending order. */
  readonly positionOf: readonly Int32Array[];
  readonly mmd: PreparedReference;
}

export function prepareOnlineStream(source: 'inputs' | 'outputs', reference: Matrix, names: readonly string[], mmd: Pick<MmdOptions, 'sigma' | 'sigmaScale'>): OnlineStreamReference {
  const cols = columnMajor(reference);
  const n = reference.rows;
  const ks: KsReference[] = [];
  const positionOf: Int32Array[] = [];
  for (let c = 0; c < reference.cols; c++) {
    const values = cols.subarray(c * n, (c + 1) * n);
    ks.push(prepareKsReference(sortedCopy(values, `reference ${names[c] ?? c}`)));
    const order = argsort(values);
    const pos = new Int32Array(n);
    order.forEach((row, p) => { pos[row] = p; });
    positionOf.push(pos);
  }
  // One kernel (several bandwidths averaged): the online statistic needs one MMD² per window.
  const prep = prepareReferences(reference, { ...mmd, permutations: 1, seed: 1, alpha: 0.5 })[0] as PreparedReference;
  return { source, names, reference, ks, positionOf, mmd: prep };
}

/** How a window's statistics become the family statistic: −log10 of the smallest p-value. */
export interface FamilyScale {
  /** Null mean and standard deviation of each stream's window MMD² (from the calibration). */
  readonly mmd: readonly { mean: number; sd: number }[];
}

export interface WindowStatistics {
  /** Per stream, per feature: KS statistic. */
  readonly ks: readonly Float64Array[];
  /** Per stream: MMD². */
  readonly mmd2: readonly number[];
}

export interface FamilyScore { statistic: number; decidedBy: { source: 'inputs' | 'outputs'; test: 'ks' | 'mmd'; feature?: string } }

/**
 * The family statistic of one window: −log10 min p over every KS (exact p-value for sizes
 * `refRows`, `window`) and every MMD (normal tail of its MMD² standardised by the null scale).
 */
export function familyScore(streams: readonly OnlineStreamReference[], stats: WindowStatistics, scale: FamilyScale, ksP: (d: number) => number): FamilyScore {
  let best = Infinity;
  let decidedBy: FamilyScore['decidedBy'] = { source: 'inputs', test: 'mmd' };
  streams.forEach((s, k) => {
    const ks = stats.ks[k] as Float64Array;
    for (let c = 0; c < ks.length; c++) {
      const p = ksP(ks[c] as number);
      if (p < best) { best = p; decidedBy = { source: s.source, test: 'ks', feature: s.names[c] as string }; }
    }
    const sc = scale.mmd[k] as { mean: number; sd: number };
    const p = sc.sd > 0 ? normalSf(((stats.mmd2[k] as number) - sc.mean) / sc.sd) : 1;
    if (p < best) { best = p; decidedBy = { source: s.source, test: 'mmd' }; }
  });
  return { statistic: -Math.log10(Math.max(best, 1e-300)), decidedBy };
}

export { ksPValueFunction };
