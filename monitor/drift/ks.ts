import { driftErrors } from './errors.ts';
import { kolmogorovSf } from './kolmogorov.ts';
import { probOutsideBand, probOutsideSquare } from './ks-exact.ts';
import { sortFloat64 } from './sort.ts';

export interface KsTwoSampleResult {
  /** sup |F1 - F2| over the pooled values (ties: both ECDFs step together). */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** Above this largest sample size the p-value is asymptotic, as scipy's method="auto". */
export const KS_EXACT_MAX_N = 10000;

/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, matching scipy.stats.ks_2samp(method="auto"):
 * exact p-value when max(n1, n2) <= 10000, else kstwo.sf(D, round(n1 n2 / (n1 + n2))).
 * In the exact branch the statistic is snapped to the lattice value h / lcm(n1, n2) it must be.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsTwoSampleResult {
  return ksTwoSampleSorted(sortedCopy(a, 'first sample'), sortedCopy(b, 'second sample'));
}

/** Same as ksTwoSample for already ascending-sorted, finite inputs (lets callers sort once). */
export function ksTwoSampleSorted(x: Float64Array, y: Float64Array): KsTwoSampleResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw driftErrors.VIGIL_DRIFT_EMPTY_SAMPLE({ what: n1 === 0 ? 'the first sample' : 'the second sample', min: 1 });
  return ksFromStatistic(ksStatisticSorted(x, y), n1, n2);
}

/** The result for a statistic d of samples of sizes n1 and n2: p-value exact or asymptotic as above. */
export function ksFromStatistic(d: number, n1: number, n2: number): KsTwoSampleResult {
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    const statistic = h / lcm;
    if (h === 0) return { statistic, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic, pValue: p, method: 'exact' };
  }
  const big = Math.max(n1, n2);
  const small = Math.min(n1, n2);
  const en = (big * small) / (big + small);
  return { statistic: d, pValue: Math.min(1, Math.max(0, kolmogorovSf(roundHalfEven(en), d))), method: 'asymptotic' };
}

/** sup_t |F1(t) - F2(t)| with right-continuous ECDFs, evaluated only after all ties at t. */
export function ksStatisticSorted(x: Float64Array, y: Float64Array): number {
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let maxPos = 0;
  let maxNeg = 0;
  while (i < n1 || j < n2) {
    const t = i < n1 && (j >= n2 || (x[i] as number) <= (y[j] as number)) ? (x[i] as number) : (y[j] as number);
    while (i < n1 && (x[i] as number) <= t) i++;
    while (j < n2 && (y[j] as number) <= t) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxPos) maxPos = diff;
    if (-diff > maxNeg) maxNeg = -diff;
  }
  return Math.max(maxPos, maxNeg);
}

export function sortedCopy(values: ArrayLike<number>, what: string): Float64Array {
  const out = values instanceof Float64Array ? values.slice() : Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i] as number)) throw driftErrors.VIGIL_DRIFT_NOT_FINITE({ what, value: String(out[i]), row: i, column: 0 });
  }
  return sortFloat64(out);
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** numpy's round(): halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const diff = v - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
