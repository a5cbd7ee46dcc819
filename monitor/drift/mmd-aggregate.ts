/**
 * Several bandwidths combined by their smallest p-value, calibrated by the same permutations
 * (Westfall–Young's min-p; the idea of MMDAgg, Schrab et al. 2021). Averaging the kernels (alibi's
 * multi-σ kernel) dilutes the bandwidth that sees a change with those that do not; min-p lets the
 * best bandwidth decide and pays for the choice through the permutation distribution of the
 * minimum, so the test stays exact.
 *
 * Every bandwidth is tested on the same B permutations. For bandwidth k, each of the B + 1 values
 * (observed first, then the permuted ones) gets q_k = #{values of k ≥ it} / (B + 1); each
 * permutation (and the observation) keeps m = min_k q_k; the p-value is the share of the B + 1
 * whose m is ≤ the observation's. With one bandwidth this is exactly (1 + #{permuted ≥ observed}) / (1 + B).
 * Pure computation.
 */
import type { MmdOptions, MmdResult } from './mmd.ts';

/** One bandwidth's outcome: the observed MMD² and its B permuted values (same permutations for all). */
export interface BandwidthOutcome { sigma: number; result: MmdResult; permuted: Float64Array }

/** q for every one of the B + 1 values (index 0 = observed): the share of values at or above it. */
export function upperShares(observed: number, permuted: Float64Array): Float64Array {
  const total = permuted.length + 1;
  const values = new Float64Array(total);
  values[0] = observed;
  values.set(permuted, 1);
  const descending = Float64Array.from(values).sort().reverse();
  const q = new Float64Array(total);
  for (let e = 0; e < total; e++) {
    // #{u ≥ v}: binary search for the last position holding a value ≥ v in the descending order.
    const v = values[e] as number;
    let lo = 0;
    let hi = total;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((descending[mid] as number) >= v) lo = mid + 1;
      else hi = mid;
    }
    q[e] = lo / total;
  }
  return q;
}

export function minPAggregate(outcomes: readonly BandwidthOutcome[], opts: MmdOptions): { result: MmdResult; permuted: Float64Array } {
  const first = outcomes[0];
  if (!first) throw new Error('minPAggregate needs at least one bandwidth');
  const total = first.permuted.length + 1;
  const m = new Float64Array(total).fill(Infinity);
  let best = 0;
  let bestQ = Infinity;
  outcomes.forEach((o, k) => {
    const q = upperShares(o.result.mmd2, o.permuted);
    for (let e = 0; e < total; e++) if ((q[e] as number) < (m[e] as number)) m[e] = q[e] as number;
    if ((q[0] as number) < bestQ) { bestQ = q[0] as number; best = k; }
  });
  let atMost = 0;
  for (let e = 0; e < total; e++) if ((m[e] as number) <= (m[0] as number)) atMost++;
  const pValue = atMost / total;
  const chosen = outcomes[best] as BandwidthOutcome;
  return {
    result: {
      mmd2: chosen.result.mmd2,
      pValue,
      sigma: outcomes.map((o) => o.sigma),
      permutations: opts.permutations,
      threshold: chosen.result.threshold,
      detected: pValue < opts.alpha,
      aggregate: 'minp',
      bandwidths: outcomes.map((o) => ({ sigma: o.sigma, mmd2: o.result.mmd2, pValue: o.result.pValue, threshold: o.result.threshold })),
    },
    permuted: chosen.permuted,
  };
}
