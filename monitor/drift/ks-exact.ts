/**
 * Exact null distribution of the two-sided two-sample KS statistic (no ties), as
 * scipy.stats.ks_2samp(method="exact") computes it. Both functions return
 * P(D >= h / lcm(n1, n2)) — the proportion of the C(n1+n2, n1) equally likely lattice paths
 * from (0,0) to (n1,n2) that reach |x/n1 - y/n2| >= h / lcm.
 */

/**
 * Equal sizes n1 = n2 = n (lcm = n): the reflection-principle series for paths leaving the band
 * |x - y| < h, summed from the innermost term outwards so each step is a product of ratios < 1
 * (no binomial coefficients, no overflow). Cost O(n).
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    // C(2n, n - kh) / C(2n, n) written as a product of h ratios, each below 1
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * Unequal sizes: a column-by-column recursion over the lattice on the probability that a
 * uniformly random path to (x, y) has already left the band (Hodges 1958, in the numerically
 * stable form of Viehmann 2021, arXiv:2102.08037):
 *   Q(x, y) = 1 outside the band, else (x Q(x-1, y) + y Q(x, y-1)) / (x + y),
 * since x/(x+y) of the paths to (x, y) come from (x-1, y). Only the band's window of each column
 * is stored. Cost O(n1 · width), width ≈ 2 D n2.
 */
export function probOutsideBand(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const mg = m / g;
  const ng = n / g;
  // Column x = i holds y in [lo, hi) strictly inside: |i*ng - y*mg| < h.
  const inside = (i: number): [number, number] => {
    const lo = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    const hi = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    return [Math.min(lo, n + 1), hi];
  };
  // Dense columns over all y; entries outside the current window hold 1 ("already out").
  let prev = new Float64Array(n + 1).fill(1);
  let cur = new Float64Array(n + 1).fill(1);
  let [lo, hi] = inside(0);
  for (let y = lo; y < hi; y++) prev[y] = 0; // the single path up the axis is still inside
  let [staleLo, staleHi] = [0, 0]; // window written into `cur` two columns ago
  for (let i = 1; i <= m; i++) {
    for (let y = staleLo; y < staleHi; y++) cur[y] = 1;
    const prevWindow: [number, number] = [lo, hi];
    [lo, hi] = inside(i);
    if (hi <= lo) return 1;
    let below = 1; // Q(i, lo - 1): outside the band (or y = -1, which has weight 0)
    for (let y = lo; y < hi; y++) {
      const q = (i * (prev[y] as number) + y * below) / (i + y);
      cur[y] = q;
      below = q;
    }
    [staleLo, staleHi] = prevWindow;
    const t = prev; prev = cur; cur = t;
  }
  return prev[n] as number;
}
