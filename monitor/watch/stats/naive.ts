import { mannKendallFromS, type MannKendallResult } from './mann-kendall.ts';
import { median, selectInPlace } from './median.ts';
import type { TheilSenResult } from './theil-sen.ts';

/**
 * The textbook O(n²) versions: every pair enumerated. The watcher uses the fast paths; these are
 * the references the tests compare against and the peer the benchmark measures.
 */
export function theilSenNaive(x: ArrayLike<number>, y: ArrayLike<number>): TheilSenResult {
  const n = x.length;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let m = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = (x[j] as number) - (x[i] as number);
      if (dx !== 0) slopes[m++] = ((y[j] as number) - (y[i] as number)) / dx;
    }
  }
  if (m === 0) return { slope: Number.NaN, intercept: Number.NaN, pairs: 0 };
  const s = slopes.subarray(0, m);
  const upper = selectInPlace(s, m >> 1);
  let slope = upper;
  if (m % 2 === 0) {
    let lower = -Infinity;
    for (let i = 0; i < m >> 1; i++) if ((s[i] as number) > lower) lower = s[i] as number;
    slope = (lower + upper) / 2;
  }
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = (y[i] as number) - slope * (x[i] as number);
  return { slope, intercept: median(r), pairs: m };
}

export function mannKendallNaive(y: ArrayLike<number>): MannKendallResult {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign((y[j] as number) - (y[i] as number));
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(y[i] as number, (counts.get(y[i] as number) ?? 0) + 1);
  return mannKendallFromS(s, n, [...counts.values()].filter((t) => t > 1));
}
