import { chiSquareSf } from './gamma.ts';

export interface Chi2Result {
  statistic: number;
  pValue: number;
  dof: number;
  /** Categories tested after pooling sparse ones (the pooled bucket is named "(other)"). */
  categories: string[];
}

/** Expected counts below this are pooled (Cochran's rule of thumb for Pearson's χ²). */
export const MIN_EXPECTED = 5;
export const OTHER = '(other)';

/**
 * Pearson's chi-square test of homogeneity of one categorical variable across the reference and
 * current samples (a 2×K contingency table, dof K−1, no continuity correction).
 * Sparse categories, documented rule: every category whose expected count is below 5 in either
 * sample is pooled into one "(other)" category; if "(other)" is itself still below 5 it is merged
 * into the smallest remaining category. With fewer than 2 categories left the test has no
 * information: statistic 0, p-value 1, dof 0.
 */
export function chiSquareHomogeneity(reference: readonly string[], current: readonly string[]): Chi2Result {
  const refCounts = countBy(reference);
  const curCounts = countBy(current);
  const names = [...new Set([...refCounts.keys(), ...curCounts.keys()])].sort();
  const nRef = reference.length;
  const nCur = current.length;
  const total = nRef + nCur;
  let cells = names.map((name) => ({ name, ref: refCounts.get(name) ?? 0, cur: curCounts.get(name) ?? 0 }));
  const minExpected = (c: { ref: number; cur: number }): number => (Math.min(nRef, nCur) * (c.ref + c.cur)) / total;
  const sparse = cells.filter((c) => minExpected(c) < MIN_EXPECTED);
  if (sparse.length > 0) {
    cells = cells.filter((c) => minExpected(c) >= MIN_EXPECTED);
    const other = { name: OTHER, ref: sum(sparse.map((c) => c.ref)), cur: sum(sparse.map((c) => c.cur)) };
    if (minExpected(other) >= MIN_EXPECTED || cells.length === 0) cells.push(other);
    else {
      const smallest = cells.reduce((a, b) => (a.ref + a.cur <= b.ref + b.cur ? a : b));
      smallest.name = `${smallest.name}+${OTHER}`;
      smallest.ref += other.ref;
      smallest.cur += other.cur;
    }
  }
  if (cells.length < 2) return { statistic: 0, pValue: 1, dof: 0, categories: cells.map((c) => c.name) };
  let statistic = 0;
  for (const c of cells) {
    const colTotal = c.ref + c.cur;
    const eRef = (nRef * colTotal) / total;
    const eCur = (nCur * colTotal) / total;
    statistic += (c.ref - eRef) ** 2 / eRef + (c.cur - eCur) ** 2 / eCur;
  }
  const dof = cells.length - 1;
  return { statistic, pValue: chiSquareSf(statistic, dof), dof, categories: cells.map((c) => c.name) };
}

export function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
