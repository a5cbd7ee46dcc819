import { countPairs } from './inversions.ts';
import { twoSidedP } from './normal.ts';

export interface MannKendallResult {
  /** S = Σ_{i<j} sign(y_j − y_i), in time order. */
  readonly s: number;
  /** Var(S) with the tie correction: [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18. */
  readonly varS: number;
  /** Normal score with the continuity correction: (S − 1)/σ, 0, or (S + 1)/σ. */
  readonly z: number;
  /** Two-sided p-value (normal approximation; meant for n ≥ 10). */
  readonly pValue: number;
  /** Kendall's tau-a: S / (n(n−1)/2). */
  readonly tau: number;
  readonly n: number;
}

/**
 * Mann–Kendall trend test of a series already in time order, in O(n log n): S is computed from
 * the number of decreasing and tied pairs (merge-sort inversion counting) instead of all n² pairs.
 */
export function mannKendall(y: ArrayLike<number>): MannKendallResult {
  const n = y.length;
  const pairs = (n * (n - 1)) / 2;
  const { decreasing, tied, tieGroups } = countPairs(y);
  const increasing = pairs - decreasing - tied;
  const s = increasing - decreasing;
  return mannKendallFromS(s, n, tieGroups);
}

/** The variance, z and p-value for a given S (shared with the O(n²) reference implementation). */
export function mannKendallFromS(s: number, n: number, tieGroups: readonly number[]): MannKendallResult {
  let tieTerm = 0;
  for (const t of tieGroups) tieTerm += t * (t - 1) * (2 * t + 5);
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const sigma = Math.sqrt(varS);
  const z = varS <= 0 ? 0 : s > 0 ? (s - 1) / sigma : s < 0 ? (s + 1) / sigma : 0;
  const pairs = (n * (n - 1)) / 2;
  return { s, varS, z, pValue: n < 3 || varS <= 0 ? 1 : twoSidedP(z), tau: pairs > 0 ? s / pairs : 0, n };
}
