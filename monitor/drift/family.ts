/**
 * One decision per evaluation over a family of tests (KS per feature, MMD, on inputs and on
 * reference-model outputs, ...). Each test alone is calibrated at alpha; their OR is not — with
 * 20 tests it fires far more often than alpha on healthy traffic. The family p-value is the
 * smallest p-value adjusted for having looked at all of them:
 * - `minp` (default): Westfall–Young single-step min-p over shared permutations. Every test is
 *   recomputed on the same B relabellings of the pooled rows (permutation-plan.ts), each turned
 *   into a p-value by a decreasing function of its statistic that treats the B + 1 values alike
 *   (KS: its exact p-value; MMD: the normal upper tail of its value standardised by the mean and
 *   standard deviation of all B + 1 values — not its rank, whose 1/(B + 1) floor would let 20 KS
 *   tests always out-bid it); the family p-value is the share of the B + 1
 *   labellings (the observed one included) whose smallest p-value is at or below the observed
 *   smallest. Under no drift the observed labelling is one of B + 1 exchangeable ones, so the
 *   decision p ≤ alpha has level alpha exactly (up to ties), and correlated tests (features that
 *   move together, inputs and outputs of the same rows) are not paid for as if independent.
 * - `holm`: Holm's step-down over the tests' own p-values; the family p-value is min(1, K·p_min).
 *   Valid for any dependence, but conservative, and with B permutations an MMD p-value cannot go
 *   below 1/(B + 1), so K·p_min rarely lets the MMD decide.
 * Pure computation.
 */

import { normalSf } from '../watch/stats/normal.ts';

export type FamilyMethod = 'minp' | 'holm';
export const FAMILY_METHODS = ['minp', 'holm'] as const;

export interface FamilyMember {
  readonly source: 'inputs' | 'outputs';
  readonly test: 'ks' | 'mmd' | 'missing' | 'chi2';
  readonly feature?: string;
  /** The test's own p-value (what GET /v1/drift reports for it). */
  readonly pValue: number;
  /** For minp: index 0 the observed p-value, index b + 1 the p-value under permutation b. */
  readonly shares?: Float64Array;
}

export interface FamilyDecision {
  readonly method: FamilyMethod;
  readonly alpha: number;
  /** Tests in the family. */
  readonly tests: number;
  readonly pValue: number;
  /** pValue ≤ alpha. */
  readonly drift: boolean;
  /** The test with the smallest p-value: the one that decides when the family says drift. */
  readonly decidedBy: { source: FamilyMember['source']; test: FamilyMember['test']; feature?: string; pValue: number };
}

export function decideFamily(members: readonly FamilyMember[], alpha: number, method: FamilyMethod): FamilyDecision {
  if (members.length === 0) throw new RangeError('a family needs at least one test');
  return method === 'holm' ? holm(members, alpha) : minP(members, alpha);
}

function decided(m: FamilyMember): FamilyDecision['decidedBy'] {
  return { source: m.source, test: m.test, ...(m.feature !== undefined ? { feature: m.feature } : {}), pValue: m.pValue };
}

/** Holm's family p-value is its smallest adjusted p-value, min(1, K·p_min); rejects iff p_min ≤ alpha/K. */
export function holm(members: readonly FamilyMember[], alpha: number): FamilyDecision {
  let best = members[0] as FamilyMember;
  for (const m of members) if (m.pValue < best.pValue) best = m;
  const pValue = Math.min(1, members.length * best.pValue);
  return { method: 'holm', alpha, tests: members.length, pValue, drift: pValue <= alpha, decidedBy: decided(best) };
}

/** Westfall–Young single-step min-p over the members' shares (all of one length B + 1). */
export function minP(members: readonly FamilyMember[], alpha: number): FamilyDecision {
  const total = members[0]?.shares?.length ?? 0;
  if (total < 2 || members.some((m) => m.shares?.length !== total)) throw new RangeError('min-p needs every test on the same permutations');
  const mins = new Float64Array(total).fill(Infinity);
  let best = members[0] as FamilyMember;
  for (const m of members) {
    const q = m.shares as Float64Array;
    for (let e = 0; e < total; e++) if ((q[e] as number) < (mins[e] as number)) mins[e] = q[e] as number;
    if ((q[0] as number) < ((best.shares as Float64Array)[0] as number)) best = m;
  }
  // A relative tolerance: the same statistic reached by two routes may differ in the last bit.
  const observed = (mins[0] as number) * (1 + 1e-9);
  let atMost = 0;
  for (let e = 0; e < total; e++) if ((mins[e] as number) <= observed) atMost++;
  const pValue = atMost / total;
  return { method: 'minp', alpha, tests: members.length, pValue, drift: pValue <= alpha, decidedBy: decided(best) };
}

/**
 * A permutation statistic's p-values for min-p: the observed value (index 0) and each permuted
 * one, standardised by the mean and standard deviation of all B + 1 (a function of the multiset,
 * so the observed value stays exchangeable with the permuted ones), mapped through the normal
 * upper tail. Only the order and scale matter for min-p; the calibration comes from the permutations.
 * Several bandwidths: the smallest over them, per labelling.
 */
export function tailShares(outcomes: readonly { mmd2: number; permuted: Float64Array }[]): Float64Array {
  const total = (outcomes[0]?.permuted.length ?? 0) + 1;
  const out = new Float64Array(total).fill(Infinity);
  for (const o of outcomes) {
    let sum = 0;
    let sq = 0;
    const value = (e: number): number => (e === 0 ? o.mmd2 : (o.permuted[e - 1] as number));
    for (let e = 0; e < total; e++) sum += value(e);
    const mean = sum / total;
    for (let e = 0; e < total; e++) sq += (value(e) - mean) ** 2;
    const sd = Math.sqrt(sq / (total - 1));
    for (let e = 0; e < total; e++) {
      const p = sd > 0 ? normalSf((value(e) - mean) / sd) : 0.5;
      if (p < (out[e] as number)) out[e] = p;
    }
  }
  return out;
}
