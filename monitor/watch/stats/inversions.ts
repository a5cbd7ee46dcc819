/**
 * Pair counting in O(n log n) by merge sort: the shared kernel of the fast Mann–Kendall S and of
 * the Theil–Sen slope selection.
 */

export interface PairCounts {
  /** Pairs i < j with v[j] < v[i]. */
  readonly decreasing: number;
  /** Pairs i < j with v[j] === v[i]. */
  readonly tied: number;
  /** Sizes of the groups of equal values (only groups of 2 or more), for tie corrections. */
  readonly tieGroups: number[];
}

/** Counts decreasing and tied pairs of `v` in index order. `v` is not modified. */
export function countPairs(v: ArrayLike<number>): PairCounts {
  const n = v.length;
  const sorted = Float64Array.from(v);
  const notIncreasing = countNotIncreasing(sorted, new Float64Array(n));
  const tieGroups: number[] = [];
  let tied = 0;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const t = j - i;
    if (t > 1) { tieGroups.push(t); tied += (t * (t - 1)) / 2; }
    i = j;
  }
  return { decreasing: notIncreasing - tied, tied, tieGroups };
}

/**
 * Pairs i < j with v[j] ≤ v[i], by a merge sort that leaves `work` sorted (`scratch` of the same
 * length is clobbered). Allocation-free: the kernel of the Theil–Sen slope selection too.
 */
export function countNotIncreasing(work: Float64Array, scratch: Float64Array): number {
  const n = work.length;
  let a = work;
  let b = scratch;
  let count = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // Equal values take the right one first: it is ≤ every left element still waiting.
        if ((a[j] as number) <= (a[i] as number)) { count += mid - i; b[k++] = a[j++] as number; }
        else b[k++] = a[i++] as number;
      }
      while (i < mid) b[k++] = a[i++] as number;
      while (j < hi) b[k++] = a[j++] as number;
    }
    const tmp = a; a = b; b = tmp;
  }
  if (a !== work) work.set(a);
  return count;
}
