import { countBy } from './chi2.ts';

/** Bin proportions of 0 are replaced by this before taking logs (as Evidently does). */
export const PSI_EPSILON = 1e-4;

/** PSI = Σ (p_cur − p_ref) · ln(p_cur / p_ref) over the bins. */
export function psiFromProportions(ref: readonly number[], cur: readonly number[]): number {
  let psi = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = Math.max(ref[i] as number, 0) || PSI_EPSILON;
    const c = Math.max(cur[i] as number, 0) || PSI_EPSILON;
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/**
 * Bin edges for a numeric feature: the reference's empirical quantiles at k/bins,
 * k = 1..bins−1 (value of rank ⌊k·n/bins⌋ in the sorted reference), duplicates dropped, so heavy
 * ties give fewer bins. Bin i holds edges[i−1] <= x < edges[i] (first and last bins open-ended).
 */
export function quantileEdges(sortedRef: Float64Array, bins: number): number[] {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const v = sortedRef[Math.floor((k * sortedRef.length) / bins)] as number;
    if (edges.length === 0 || v > (edges[edges.length - 1] as number)) edges.push(v);
  }
  return edges;
}

/** Proportion of values per bin (binary search on the edges). */
export function binProportions(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((edges[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return counts.map((c) => c / values.length);
}

/** PSI of a numeric feature with `bins` quantile bins of the reference. */
export function numericPsi(sortedRef: Float64Array, current: ArrayLike<number>, bins: number): number {
  const edges = quantileEdges(sortedRef, bins);
  return psiFromProportions(binProportions(sortedRef, edges), binProportions(current, edges));
}

/** PSI of a categorical feature: one bin per category seen in either sample. */
export function categoricalPsi(reference: readonly string[], current: readonly string[]): number {
  const r = countBy(reference);
  const c = countBy(current);
  const names = [...new Set([...r.keys(), ...c.keys()])];
  return psiFromProportions(names.map((n) => (r.get(n) ?? 0) / reference.length), names.map((n) => (c.get(n) ?? 0) / current.length));
}
