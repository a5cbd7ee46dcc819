import { createRng, drawSubset } from './rng.ts';

/**
 * One set of permutations for a whole evaluation: B random "current" subsets of the N = n + m
 * pooled rows (reference rows 0..n-1, then current rows n..n+m-1), each ascending. The MMD of
 * every stream and the permutation KS statistics all read the same subsets, which is what lets
 * their permutation distributions be combined into one family-wise min-p (family.ts).
 * Drawn exactly as permutedMmd2 always drew them (same RNG, same scratch order), so results for
 * a given seed are unchanged.
 */
export interface PermutationPlan {
  readonly n: number;
  readonly m: number;
  readonly permutations: number;
  /** permutation b's subset at [b·m, (b+1)·m). */
  readonly subsets: Int32Array;
}

export function drawPermutationPlan(seed: number, n: number, m: number, permutations: number): PermutationPlan {
  const rng = createRng(seed);
  const total = n + m;
  const scratch = Int32Array.from({ length: total }, (_, i) => i);
  const subset = new Int32Array(m);
  const subsets = new Int32Array(permutations * m);
  for (let p = 0; p < permutations; p++) subsets.set(drawSubset(rng, scratch, m, subset), p * m);
  return { n, m, permutations, subsets };
}

export function planSubset(plan: PermutationPlan, b: number): Int32Array {
  return plan.subsets.subarray(b * plan.m, (b + 1) * plan.m);
}
