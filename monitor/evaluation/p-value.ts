/**
 * The smallest p-value after correcting for testing every feature: Bonferroni min(1, d·p_min);
 * Benjamini–Hochberg min over ranks i of d·p_(i)/i. Compared against alpha it gives the same
 * verdict as the per-feature decisions, so one gauge can carry it.
 */
export function adjustedMinPValue(pValues: readonly number[], correction: 'bonferroni' | 'fdr'): number {
  const d = pValues.length;
  if (d === 0) return 1;
  if (correction === 'bonferroni') return Math.min(1, d * Math.min(...pValues));
  const sorted = [...pValues].sort((a, b) => a - b);
  let best = 1;
  sorted.forEach((p, i) => { best = Math.min(best, (p * d) / (i + 1)); });
  return best;
}
