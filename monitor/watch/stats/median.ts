/** k-th smallest (0-based) of `v` by quickselect (Hoare partition); reorders `v`. */
export function selectInPlace(v: Float64Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((v[i] as number) < pivot) i++;
      while ((v[j] as number) > pivot) j--;
      if (i <= j) { const tmp = v[i] as number; v[i] = v[j] as number; v[j] = tmp; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return v[k] as number;
}

/** Median of a copy of `values` (mean of the two middle values when the count is even). */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const v = Float64Array.from(values);
  const upper = selectInPlace(v, n >> 1);
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if ((v[i] as number) > lower) lower = v[i] as number;
  return (lower + upper) / 2;
}
