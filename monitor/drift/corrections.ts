/**
 * Multiple-testing aggregation of per-feature p-values. Both return, per p-value, the adjusted
 * p-value and whether that hypothesis is rejected at `alpha` (strict `<`, as alibi-detect).
 */
export type Correction = 'bonferroni' | 'fdr';

export interface CorrectedPValues { adjusted: number[]; rejected: boolean[] }

/** Bonferroni: reject p < alpha / k; adjusted p = min(1, k p). */
export function bonferroni(pValues: readonly number[], alpha: number): CorrectedPValues {
  const k = pValues.length;
  return {
    adjusted: pValues.map((p) => Math.min(1, p * k)),
    rejected: pValues.map((p) => p < alpha / k),
  };
}

/**
 * Benjamini–Hochberg (1995) step-up: with p-values sorted ascending p(1) <= ... <= p(k), reject
 * the hypotheses of ranks 1..i* where i* is the largest i with p(i) < alpha i / k. Adjusted
 * p-values are the running minimum from the top of k p(i) / i, capped at 1.
 */
export function benjaminiHochberg(pValues: readonly number[], alpha: number): CorrectedPValues {
  const k = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  let cutoff = -1;
  order.forEach(([p], rank) => { if (p < (alpha * (rank + 1)) / k) cutoff = rank; });
  const adjusted = new Array<number>(k).fill(1);
  const rejected = new Array<boolean>(k).fill(false);
  let running = 1;
  for (let rank = k - 1; rank >= 0; rank--) {
    const [p, index] = order[rank] as readonly [number, number];
    running = Math.min(running, (p * k) / (rank + 1));
    adjusted[index] = Math.min(1, running);
    rejected[index] = rank <= cutoff;
  }
  return { adjusted, rejected };
}

export function correct(pValues: readonly number[], alpha: number, correction: Correction): CorrectedPValues {
  return correction === 'fdr' ? benjaminiHochberg(pValues, alpha) : bonferroni(pValues, alpha);
}
