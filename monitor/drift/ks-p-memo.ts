import { ksFromStatistic } from './ks.ts';

/**
 * The KS p-value as a function of the statistic for fixed sample sizes, memoised: permutation
 * statistics sit on the lattice h / lcm(n, m), so a family evaluation asks for few distinct values
 * many times. Keyed by the lattice step h in the exact range, by the value itself beyond.
 */
export function ksPValueFunction(n: number, m: number): (d: number) => number {
  const memo = new Map<number, number>();
  return (d: number): number => {
    const key = Math.round(d * 1e9);
    let p = memo.get(key);
    if (p === undefined) {
      p = ksFromStatistic(d, n, m).pValue;
      memo.set(key, p);
    }
    return p;
  };
}
