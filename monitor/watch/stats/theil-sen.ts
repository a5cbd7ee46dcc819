import { countNotIncreasing } from './inversions.ts';
import { median } from './median.ts';
import { theilSenNaive } from './naive.ts';
import { slopesInWindow } from './slope-window.ts';

export interface TheilSenResult {
  /** Median of the pairwise slopes (y units per x unit). */
  readonly slope: number;
  /** Median of y − slope·x (Conover's intercept). */
  readonly intercept: number;
  /** Number of pairs with distinct x the median was taken over. */
  readonly pairs: number;
}

/**
 * Theil–Sen estimator (Sen 1968): the median of the slopes (y_j − y_i)/(x_j − x_i) over all pairs
 * with x_i ≠ x_j. For strictly increasing x (a time series) it runs in O(n log n · b): the pairs
 * with slope ≤ t are counted as the pairs that do not increase in u = y − t·x (merge-sort pair
 * counting); a sampled bracket around the median is bisected (b ≈ 10 counts) until it holds at
 * most 4n slopes, which are then listed and the middle ranks picked exactly. Otherwise (ties in
 * x) it falls back to the O(n²) method.
 */
export function theilSen(x: ArrayLike<number>, y: ArrayLike<number>): TheilSenResult {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`x has ${n} values, y has ${y.length}`);
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN, pairs: 0 };
  if (!strictlyIncreasing(x)) return theilSenNaive(x, y);
  // Centre both axes so u = y − t·x is computed from small numbers (less rounding).
  const x0 = x[0] as number;
  const y0 = y[0] as number;
  const xs = Float64Array.from(x, (v) => v - x0);
  const ys = Float64Array.from(y, (v) => v - y0);
  let minAdj = Infinity;
  let maxAdj = -Infinity;
  for (let i = 1; i < n; i++) {
    // Every pairwise slope is a weighted mean of the adjacent slopes between its two points.
    const s = ((ys[i] as number) - (ys[i - 1] as number)) / ((xs[i] as number) - (xs[i - 1] as number));
    if (s < minAdj) minAdj = s;
    if (s > maxAdj) maxAdj = s;
  }
  const pairs = (n * (n - 1)) / 2;
  const u = new Float64Array(n);
  const scratch = new Float64Array(n);
  const countAtMost = (t: number): number => {
    for (let i = 0; i < n; i++) u[i] = (ys[i] as number) - t * (xs[i] as number);
    return countNotIncreasing(u, scratch);
  };
  const [lo, hi] = sampledBracket(xs, ys, pairs, minAdj, maxAdj, countAtMost);
  const kLow = pairs % 2 === 1 ? (pairs + 1) / 2 : pairs / 2;
  const kHigh = pairs % 2 === 1 ? kLow : kLow + 1;
  const [low, high] = selectTwo(kLow, kHigh, lo, hi, countAtMost, xs, ys);
  const slope = (low + high) / 2;
  return { slope, intercept: interceptFor(x, y, slope), pairs };
}

/**
 * A narrow starting bracket for the median slope: the slopes of a few thousand pseudo-random
 * pairs, their quantiles around 1/2 widened by 4 standard errors, checked by counting (two
 * counts). Falls back to [min, max] of the adjacent slopes, which always holds every slope.
 */
function sampledBracket(xs: Float64Array, ys: Float64Array, pairs: number, minAdj: number, maxAdj: number, countAtMost: (t: number) => number): [number, number] {
  const n = xs.length;
  const m = Math.min(4096, pairs);
  if (pairs < 4 * m) return [minAdj, maxAdj];
  const slopes = new Float64Array(m);
  let seed = 0x2545f491;
  const next = (): number => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed % n; };
  for (let k = 0; k < m;) {
    const i = next();
    const j = next();
    if (i === j) continue;
    const [a, b] = i < j ? [i, j] : [j, i];
    slopes[k++] = ((ys[b] as number) - (ys[a] as number)) / ((xs[b] as number) - (xs[a] as number));
  }
  slopes.sort();
  const margin = Math.ceil(4 * Math.sqrt(m * 0.25)) + 1;
  const lo = slopes[Math.max(0, (m >> 1) - margin)] as number;
  const hi = slopes[Math.min(m - 1, (m >> 1) + margin)] as number;
  const half = pairs / 2;
  // The bracket must hold both middle order statistics: count(lo) < ⌊N/2⌋ and count(hi) ≥ ⌊N/2⌋ + 1.
  if (countAtMost(lo) < Math.floor(half) && countAtMost(hi) >= Math.floor(half) + 1) return [lo, hi];
  return [minAdj, maxAdj];
}

/**
 * The kLow-th and kHigh-th (= kLow or kLow + 1) smallest slopes, exactly: bisect (lo, hi] until it
 * holds at most a few n slopes, then list those slopes and pick the ranks among them.
 */
function selectTwo(kLow: number, kHigh: number, lo: number, hi: number, countAtMost: (t: number) => number, xs: Float64Array, ys: Float64Array): [number, number] {
  let cLo = countAtMost(lo);
  if (cLo >= kHigh) return [lo, lo];
  let cHi = countAtMost(hi);
  const enough = 4 * xs.length;
  for (let iter = 0; iter < 200 && cHi - cLo > enough; iter++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    const c = countAtMost(mid);
    // Keep both ranks inside (lo, hi]: cLo < kLow and kHigh ≤ cHi.
    if (c >= kHigh) { hi = mid; cHi = c; } else if (c < kLow) { lo = mid; cLo = c; } else {
      // mid falls between the two ranks: each lies in its own half.
      return [selectTwo(kLow, kLow, lo, mid, countAtMost, xs, ys)[0], selectTwo(kHigh, kHigh, mid, hi, countAtMost, xs, ys)[0]];
    }
  }
  const window = slopesInWindow(xs, ys, lo, hi);
  const pick = (k: number): number => {
    if (k <= cLo) return lo;
    const i = Math.min(window.length - 1, k - cLo - 1);
    return i >= 0 ? window[i] as number : hi;
  };
  return [pick(kLow), pick(kHigh)];
}

export function interceptFor(x: ArrayLike<number>, y: ArrayLike<number>, slope: number): number {
  const r = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) r[i] = (y[i] as number) - slope * (x[i] as number);
  return median(r);
}

function strictlyIncreasing(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (!((x[i] as number) > (x[i - 1] as number))) return false;
  return true;
}
