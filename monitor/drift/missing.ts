import { logGamma } from './gamma.ts';

/**
 * Missing values as data (issue 11, item 3 — the library part): did a feature's missing rate
 * change? Fisher's exact test on the 2×2 table (missing / present × reference / window),
 * two-sided: the probability, with both margins fixed, of a table at most as likely as the one
 * seen (scipy.stats.fisher_exact's definition, with its relative tolerance 1 + 1e-7 for ties).
 * Exact at every size and cheap: the sum runs over the possible missing counts of one sample,
 * at most (total missing + 1) terms.
 * Pure computation.
 */
export interface MissingRateResult {
  readonly referenceRate: number;
  readonly windowRate: number;
  readonly pValue: number;
  readonly method: 'fisher';
}

export function missingRateTest(refMissing: number, refN: number, curMissing: number, curN: number): MissingRateResult {
  for (const [v, max, name] of [[refMissing, refN, 'refMissing'], [curMissing, curN, 'curMissing']] as const) {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${name} ${v} must be a whole number in [0, ${max}]`);
  }
  if (!(refN > 0 && curN > 0)) throw new RangeError('both samples need at least one row');
  const k = refMissing + curMissing; // missing in all
  const total = refN + curN;
  const lo = Math.max(0, k - curN);
  const hi = Math.min(k, refN);
  // log P(reference has a missing) = log C(refN, a) + log C(curN, k − a) − log C(total, k)
  const logC = (n: number, r: number): number => logGamma(n + 1) - logGamma(r + 1) - logGamma(n - r + 1);
  const denom = logC(total, k);
  const logP = (a: number): number => logC(refN, a) + logC(curN, k - a) - denom;
  const observed = logP(refMissing);
  let p = 0;
  for (let a = lo; a <= hi; a++) {
    const la = logP(a);
    if (la <= observed + Math.log1p(1e-7)) p += Math.exp(la);
  }
  return { referenceRate: refMissing / refN, windowRate: curMissing / curN, pValue: Math.min(1, p), method: 'fisher' };
}
