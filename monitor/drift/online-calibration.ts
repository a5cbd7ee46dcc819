import { driftErrors } from './errors.ts';
import { mmd2FromSums } from './permutations.ts';
import { familyScore, nullTail, type FamilyScale, type OnlineStreamReference } from './online-family.ts';
import { ksPValueFunction } from './ks-p-memo.ts';
import { createRng, type Rng } from './rng.ts';

/**
 * Calibrates the online detector's threshold by simulation on the reference set, so that on
 * no-drift traffic the mean number of samples between false alarms is the configured ERT.
 *
 * A simulated stream is the reference rows in random order (one fresh permutation after another,
 * no row twice within a window). Live windows are independent of the reference they are compared
 * with, so a simulated window must not simply be compared with the whole reference, which holds
 * its own rows (every statistic would be too small, the detector too jumpy). The KS side compares
 * the window with a bootstrap resample of the reference drawn once per simulated stream: the
 * window's deviation from the reference plays live sampling noise, the resample's deviation plays
 * the live reference's own noise, which stays the same for a whole stream and makes live scores
 * move together (leaving it out made run lengths 30 % too long). The MMD side compares the window
 * with the *rest* of the reference (held out).
 * Each simulated stream runs a burn-in of
 * ⌈window/step⌉ steps (so its windows overlap like live ones) and then K = HORIZON_STEPS steps,
 * of which the largest family statistic is kept. If alarms came at a constant rate h per step,
 * the run length would be window + step·(G − 1), G geometric; a mean of ERT needs
 * h = step / (ERT − window + step), and P(no alarm in K steps) = (1 − h)^K. The threshold is that
 * quantile of the simulated maxima. A short horizon over many streams estimates h with less
 * noise than a few streams as long as the ERT, for the same work. Everything is read off the
 * reference kernel block and sorted positions computed once, so a simulated step costs O(window²) for the MMD and
 * O(window log window) per feature for KS.
 * Pure computation.
 */
export interface OnlineSettings {
  readonly ert: number;
  readonly window: number;
  readonly step: number;
  readonly simulations: number;
  readonly seed: number;
}

/** Steps after the burn-in over which each simulated stream's largest statistic is taken. */
export const HORIZON_STEPS = 20;

export interface Calibration {
  readonly threshold: number;
  readonly scale: FamilyScale;
  readonly simulations: number;
  readonly horizonSteps: number;
  readonly durationMs: number;
}

export function calibrateOnline(streams: readonly OnlineStreamReference[], s: OnlineSettings): Calibration {
  const steps = calibrationSteps(streams, s);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * The same calibration in slices that give the event loop back between them (the worker keeps
 * answering evaluations while it calibrates); `cancelled()` true stops it (a newer reference).
 */
export async function calibrateOnlineInSlices(streams: readonly OnlineStreamReference[], s: OnlineSettings, cancelled: () => boolean): Promise<Calibration | undefined> {
  const steps = calibrationSteps(streams, s);
  for (;;) {
    if (cancelled()) return undefined;
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Yields every SLICE simulations. */
const SLICE = 10;
function* calibrationSteps(streams: readonly OnlineStreamReference[], s: OnlineSettings): Generator<void, Calibration> {
  const started = performance.now();
  const first = streams[0];
  if (!first) throw new RangeError('the online detector needs at least one stream');
  const n = first.reference.rows;
  if (n < 2 * s.window + 2) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'online.window', value: s.window, rule: `at most half the reference rows minus one (${Math.floor(n / 2) - 1}): the calibration holds windows out of the reference` });
  if (s.ert <= s.window) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: 'online.ert', value: s.ert, rule: `more than the window (${s.window} samples)` });
  const h = s.step / (s.ert - s.window + s.step);
  const burn = Math.ceil(s.window / s.step);
  const K = HORIZON_STEPS;
  const total = burn + K;
  const ksSim = ksPValueFunction(n, s.window);
  const rng = createRng(s.seed);
  // Pass 1 keeps every step's raw statistics (the MMD scale needs them all before any p-value).
  const steps = s.simulations * total;
  const ks = streams.map((st) => new Float64Array(steps * st.reference.cols));
  const mmd = streams.map(() => new Float64Array(steps));
  const order = new StreamOrder(rng, n, s.window);
  const win = new Int32Array(s.window);
  const sortedRows = new Int32Array(s.window);
  const pos = new Int32Array(s.window);
  const radix = new RadixSorter(n, s.window);
  const rowAt = streams.map((st) => st.positionOf.map((p) => { const o = new Int32Array(n); p.forEach((pos, row) => { o[pos] = row; }); return o; }));
  const weights = new Int32Array(n);
  const cum = streams.map((st) => st.positionOf.map(() => new Int32Array(n + 1)));
  for (let r = 0, at = 0; r < s.simulations; r++) {
    if (r > 0 && r % SLICE === 0) yield;
    order.restart();
    // This stream's stand-in for the live reference's own sampling noise: a bootstrap resample
    // of the reference (multiplicities), fixed for the whole stream, as the live reference is.
    weights.fill(0);
    for (let i = 0; i < n; i++) { const j = rng.nextInt(n); weights[j] = (weights[j] as number) + 1; }
    streams.forEach((st, sIdx) => st.positionOf.forEach((_, c) => {
      const cu = (cum[sIdx] as Int32Array[])[c] as Int32Array;
      const order = (rowAt[sIdx] as Int32Array[])[c] as Int32Array;
      for (let q = 0; q < n; q++) cu[q + 1] = (cu[q] as number) + (weights[order[q] as number] as number);
    }));
    for (let k = 0; k < total; k++, at++) {
      order.window(k === 0 ? s.window : s.step, win);
      sortedRows.set(win);
      sortedRows.sort();
      streams.forEach((st, sIdx) => {
        const cols = st.reference.cols;
        for (let c = 0; c < cols; c++) {
          const p = st.positionOf[c] as Int32Array;
          for (let t = 0; t < s.window; t++) pos[t] = p[win[t] as number] as number;
          radix.sort(pos);
          (ks[sIdx] as Float64Array)[at * cols + c] = resampledKs(pos, (cum[sIdx] as Int32Array[])[c] as Int32Array, n, s.window);
        }
        (mmd[sIdx] as Float64Array)[at] = heldOutMmd2(st, sortedRows);
      });
    }
  }
  const scale: FamilyScale = { mmd: mmd.map(nullTail) };
  const maxima = new Float64Array(s.simulations);
  for (let r = 0, at = 0; r < s.simulations; r++) {
    let max = -Infinity;
    for (let k = 0; k < total; k++, at++) {
      if (k < burn) continue;
      const stats = { ks: streams.map((st, i) => (ks[i] as Float64Array).subarray(at * st.reference.cols, (at + 1) * st.reference.cols)), mmd2: mmd.map((m) => m[at] as number) };
      const v = familyScore(streams, stats, scale, ksSim).statistic;
      if (v > max) max = v;
    }
    maxima[r] = max;
  }
  maxima.sort();
  const q = Math.pow(1 - h, K);
  const threshold = upperQuantile(maxima, 1 - q);
  return { threshold, scale, simulations: s.simulations, horizonSteps: K, durationMs: performance.now() - started };
}

/**
 * KS of a window (its rows' sorted positions among the reference, ascending) against a resample
 * of the reference (cum[p]: resampled rows at positions below p, n in all). The window's own
 * copies in the resample count as tied with it (both ECDFs step together).
 */
export function resampledKs(pos: Int32Array, cum: Int32Array, n: number, w: number): number {
  let d = 0;
  for (let k = 0; k < w; k++) {
    const p = pos[k] as number;
    const before = Math.abs((cum[p] as number) / n - k / w);
    const after = Math.abs((cum[p + 1] as number) / n - (k + 1) / w);
    if (before > d) d = before;
    if (after > d) d = after;
  }
  return d;
}

/** Unbiased MMD² of the window rows (ascending) against the other reference rows, from the reference kernel block. */
export function heldOutMmd2(st: OnlineStreamReference, rows: Int32Array): number {
  const { data, rowStart } = st.mmd.refBlock.packed;
  const rowSums = st.mmd.refBlock.storedRowSums;
  const n = st.reference.rows;
  const w = rows.length;
  let sWW = 0;
  let rowSum = 0;
  for (let a = 0; a < w; a++) {
    const i = rows[a] as number;
    rowSum += rowSums[i] as number;
    const base = rowStart[i] as number;
    for (let b = a + 1; b < w; b++) sWW += data[base + (rows[b] as number)] as number;
  }
  const sWR = rowSum - 2 * sWW;
  const sRR = st.mmd.refBlock.storedPairSum - sWW - sWR;
  return mmd2FromSums(sRR, sWW, sWR, n - w, w);
}

/**
 * The value exceeded with probability `tail` by the (ascending) simulated maxima. When fewer than
 * TAIL_MIN simulations lie beyond it (a large ERT for the number of simulations), the tail is
 * extrapolated from the TAIL_MIN largest by an exponential fit (peaks over threshold: the
 * statistic is a −log p-value, whose tail is close to exponential), instead of stopping at the
 * largest simulated value, which would cap the ERT at about simulations × horizon.
 */
const TAIL_MIN = 10;
export function upperQuantile(sorted: Float64Array, tail: number): number {
  const r = sorted.length;
  if (r * tail >= TAIL_MIN) return quantile(sorted, 1 - tail);
  const k = Math.min(r - 1, Math.max(TAIL_MIN, Math.floor(r / 10)));
  const u = sorted[r - 1 - k] as number;
  let excess = 0;
  for (let i = r - k; i < r; i++) excess += (sorted[i] as number) - u;
  const meanExcess = excess / k;
  return u + meanExcess * Math.log(k / (r * tail));
}

function quantile(sorted: Float64Array, q: number): number {
  const x = q * (sorted.length - 1);
  const lo = Math.floor(x);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + (x - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/**
 * A simulated stream of reference row indices: one random permutation after another, the next
 * one's first `window` rows redrawn so that no row repeats within any window.
 */
class StreamOrder {
  private perm: Int32Array;
  private at = 0;
  private readonly recent: Int32Array;
  private recentAt = 0;
  constructor(private readonly rng: Rng, private readonly n: number, private readonly w: number) {
    this.perm = Int32Array.from({ length: n }, (_, i) => i);
    this.recent = new Int32Array(w).fill(-1);
  }
  restart(): void {
    this.recent.fill(-1);
    this.shuffle();
  }
  /** Advances by `count` rows and writes the last `w` rows (oldest first) into out. */
  window(count: number, out: Int32Array): void {
    for (let c = 0; c < count; c++) {
      if (this.at === this.n) this.shuffle();
      const row = this.perm[this.at++] as number;
      this.recent[this.recentAt] = row;
      this.recentAt = (this.recentAt + 1) % this.w;
    }
    for (let t = 0; t < this.w; t++) out[t] = this.recent[(this.recentAt + t) % this.w] as number;
  }
  private shuffle(): void {
    const p = this.perm;
    for (let i = this.n - 1; i > 0; i--) {
      const j = this.rng.nextInt(i + 1);
      const t = p[i] as number; p[i] = p[j] as number; p[j] = t;
    }
    // Rows still in the window must not come again within it: move them past position w.
    const inRecent = new Set<number>();
    for (const r of this.recent) if (r >= 0) inRecent.add(r);
    for (let i = 0; i < this.w && i < this.n; i++) {
      if (!inRecent.has(p[i] as number)) continue;
      let j = this.w + this.rng.nextInt(this.n - this.w);
      while (inRecent.has(p[j] as number)) j = this.w + this.rng.nextInt(this.n - this.w);
      const t = p[i] as number; p[i] = p[j] as number; p[j] = t;
    }
    this.at = 0;
  }
}

/**
 * Sorts small arrays of integers in [0, n) in two counting passes of √n buckets each: positions
 * are sorted at every simulated step for every feature, where a comparison sort was most of the
 * calibration's time.
 */
class RadixSorter {
  private readonly bits: number;
  private readonly mask: number;
  private readonly count: Int32Array;
  private readonly tmp: Int32Array;
  constructor(n: number, size: number) {
    this.bits = Math.max(1, Math.ceil(Math.log2(Math.max(2, n)) / 2));
    this.mask = (1 << this.bits) - 1;
    this.count = new Int32Array((1 << this.bits) + 1);
    this.tmp = new Int32Array(size);
  }
  sort(a: Int32Array): void {
    this.pass(a, this.tmp, 0);
    this.pass(this.tmp, a, this.bits);
  }
  private pass(from: Int32Array, to: Int32Array, shift: number): void {
    const count = this.count;
    count.fill(0);
    const mask = this.mask;
    for (let i = 0; i < from.length; i++) {
      const b = (((from[i] as number) >> shift) & mask) + 1;
      count[b] = (count[b] as number) + 1;
    }
    for (let b = 1; b < count.length; b++) count[b] = (count[b] as number) + (count[b - 1] as number);
    for (let i = 0; i < from.length; i++) {
      const v = from[i] as number;
      const b = (v >> shift) & mask;
      to[count[b] as number] = v;
      count[b] = (count[b] as number) + 1;
    }
  }
}
