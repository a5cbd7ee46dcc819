import type { CrossBlock, SelfBlock } from './kernel.ts';
import { drawPermutationPlan, planSubset, type PermutationPlan } from './permutation-plan.ts';

/**
 * All B permutation statistics of the unbiased MMD² at once, from the kernel blocks already
 * computed. A permutation is a 0/1 label vector b over the N = n + m pooled samples (1 = "current"
 * side, m ones). With K' the kernel without its diagonal, r = K'1 and T = ½ 1ᵀK'1:
 *   S_YY = ½ bᵀK'b,  S_XY = rᵀb − 2 S_YY,  S_XX = T − S_YY − S_XY,
 * so each permutation only needs the quadratic form over its own m labels — the sub-block of the
 * label product bᵀK'b that is non-zero — instead of re-indexing the whole N×N matrix.
 */
export interface PooledKernel { ref: SelfBlock; cross: CrossBlock; cur: SelfBlock; n: number; m: number }

export function mmd2FromSums(sXX: number, sYY: number, sXY: number, n: number, m: number): number {
  return (2 * sXX) / (n * (n - 1)) + (2 * sYY) / (m * (m - 1)) - (2 * sXY) / (n * m);
}

export function permutedMmd2(k: PooledKernel, seed: number, permutations: number): Float64Array {
  return permutedMmd2FromPlan(k, drawPermutationPlan(seed, k.n, k.m, permutations));
}

/** The permuted MMD² of each subset of a shared plan (plan.n, plan.m must match the kernel's). */
export function permutedMmd2FromPlan(k: PooledKernel, plan: PermutationPlan): Float64Array {
  const { n, m } = k;
  if (plan.n !== n || plan.m !== m) throw new RangeError(`permutation plan is for ${plan.n}+${plan.m} rows, the kernel for ${n}+${m}`);
  const total = n + m;
  const rowSums = new Float64Array(total);
  for (let i = 0; i < n; i++) rowSums[i] = (k.ref.storedRowSums[i] as number) + (k.cross.storedRowSumsX[i] as number);
  for (let j = 0; j < m; j++) rowSums[n + j] = (k.cur.storedRowSums[j] as number) + (k.cross.storedRowSumsY[j] as number);
  const allPairs = k.ref.storedPairSum + k.cur.storedPairSum + k.cross.storedSum;
  const out = new Float64Array(plan.permutations);
  for (let p = 0; p < plan.permutations; p++) {
    const s = planSubset(plan, p);
    let rsum = 0;
    for (let t = 0; t < m; t++) rsum += rowSums[s[t] as number] as number;
    const sYY = subsetPairSum(k, s);
    const sXY = rsum - 2 * sYY;
    out[p] = mmd2FromSums(allPairs - sYY - sXY, sYY, sXY, n, m);
  }
  return out;
}

/** Σ_{i<j in s} K(i, j) for ascending pooled indices s (reference rows first, then current). */
export function subsetPairSum(k: PooledKernel, s: Int32Array): number {
  const { n, m } = k;
  let split = 0;
  while (split < s.length && (s[split] as number) < n) split++;
  const refData = k.ref.packed.data, refStart = k.ref.packed.rowStart;
  const curData = k.cur.packed.data, curStart = k.cur.packed.rowStart;
  const cross = k.cross.data;
  let sum = 0;
  for (let a = 0; a < split; a++) {
    const i = s[a] as number;
    sum += gatherSum(refData, refStart[i] as number, s, a + 1, split) + gatherSum(cross, i * m - n, s, split, s.length);
  }
  for (let a = split; a < s.length; a++) sum += gatherSum(curData, (curStart[(s[a] as number) - n] as number) - n, s, a + 1, s.length);
  return sum;
}

/**
 * Σ data[base + idx[t]] for t in [from, to). Four accumulators break the add dependency chain,
 * so the loop runs at the speed of its loads rather than of the floating-point add latency.
 */
function gatherSum(data: Float32Array, base: number, idx: Int32Array, from: number, to: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let t = from;
  for (; t + 3 < to; t += 4) {
    s0 += data[base + (idx[t] as number)] as number;
    s1 += data[base + (idx[t + 1] as number)] as number;
    s2 += data[base + (idx[t + 2] as number)] as number;
    s3 += data[base + (idx[t + 3] as number)] as number;
  }
  for (; t < to; t++) s0 += data[base + (idx[t] as number)] as number;
  return (s0 + s1) + (s2 + s3);
}
