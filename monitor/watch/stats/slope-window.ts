/**
 * The pairwise slopes that lie in (lo, hi], listed in O(n log n + K) for K such slopes.
 *
 * For a pair i < j (x_i < x_j), slope ≤ t ⟺ u_j(t) ≤ u_i(t) with u(t) = y − t·x. So a pair's
 * slope is in (lo, hi] exactly when the pair's order by u(lo) and by u(hi) disagree: order the
 * points by u(lo) (ties by u(hi)), then the pairs are the inversions of u(hi) in that order,
 * which a merge sort lists as it counts them.
 */
export function slopesInWindow(xs: Float64Array, ys: Float64Array, lo: number, hi: number): Float64Array {
  const n = xs.length;
  const a = Float64Array.from(xs, (x, i) => (ys[i] as number) - lo * x);
  const b = Float64Array.from(xs, (x, i) => (ys[i] as number) - hi * x);
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => ((a[p] as number) - (a[q] as number)) || ((b[p] as number) - (b[q] as number)));
  let idx = Int32Array.from(order);
  let tmp = new Int32Array(n);
  const out: number[] = [];
  for (let width = 1; width < n; width *= 2) {
    for (let start = 0; start < n; start += 2 * width) {
      const mid = Math.min(start + width, n);
      const end = Math.min(start + 2 * width, n);
      let i = start;
      let j = mid;
      let k = start;
      while (i < mid && j < end) {
        const r = idx[j] as number;
        if ((b[r] as number) <= (b[idx[i] as number] as number)) {
          // r is ≤ every left element still waiting: each such pair flips order between lo and hi.
          for (let p = i; p < mid; p++) {
            const l = idx[p] as number;
            out.push(((ys[r] as number) - (ys[l] as number)) / ((xs[r] as number) - (xs[l] as number)));
          }
          tmp[k++] = r;
          j++;
        } else {
          tmp[k++] = idx[i++] as number;
        }
      }
      while (i < mid) tmp[k++] = idx[i++] as number;
      while (j < end) tmp[k++] = idx[j++] as number;
    }
    const swap = idx; idx = tmp; tmp = swap;
  }
  return Float64Array.from(out).sort();
}
