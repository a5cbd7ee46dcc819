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
  /** Per stream: the p-value of a window MMD² under no drift, from its simulated null values. */
  readonly mmd: readonly NullTail[];
}

/**
 * An upper-tail p-value from simulated null values: the share at or above x (plus one, so never
 * 0) inside their range; beyond the largest 1 % an exponential tail fitted to them (peaks over
 * threshold), so far-out values keep getting smaller p-values instead of a floor. MMD²'s null is
 * skewed, which a normal tail would misjudge.
 */
export interface NullTail { readonly sorted: Float64Array; readonly u: number; readonly meanExcess: number; readonly k: number }

export function nullTail(values: Float64Array): NullTail {
  const sorted = Float64Array.from(values).sort();
  const r = sorted.length;
  const k = Math.max(5, Math.min(r - 1, Math.floor(r / 100)));
  const u = sorted[r - 1 - k] as number;
  let excess = 0;
  for (let i = r - k; i < r; i++) excess += (sorted[i] as number) - u;
  return { sorted, u, meanExcess: Math.max(excess / k, Number.MIN_VALUE), k };
}

export function tailP(t: NullTail, x: number): number {
  const r = t.sorted.length;
  if (x > t.u) return (t.k / (r + 1)) * Math.exp(-(x - t.u) / t.meanExcess);
  // #{values ≥ x}: first index with value ≥ x in the ascending order.
  let lo = 0;
  let hi = r;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t.sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return (r - lo + 1) / (r + 1);
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
 * `refRows`, `window`) and every MMD (its simulated null tail).
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
    const p = tailP(scale.mmd[k] as NullTail, stats.mmd2[k] as number);
    if (p < best) { best = p; decidedBy = { source: s.source, test: 'mmd' }; }
  });
  return { statistic: -Math.log10(Math.max(best, 1e-300)), decidedBy };
}

export { ksPValueFunction };
