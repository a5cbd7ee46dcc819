/**
 * Reduces a time series to at most `maxPoints` points: the span is cut into equal time buckets
 * and each non-empty bucket is represented by its lowest sample (at that sample's time).
 *
 * Why the minimum: memory of a healthy garbage-collected process is a sawtooth — it climbs
 * between collections and drops after each. The floor after collection is what a leak raises;
 * the peaks only show when the last collection happened. Bucket minima follow the floor, which
 * also removes most of the serial correlation that makes the Mann–Kendall test over-confident on
 * densely sampled data.
 */
export function downsampleMin(t: ArrayLike<number>, v: ArrayLike<number>, maxPoints: number): { t: Float64Array; v: Float64Array } {
  const n = t.length;
  if (n <= maxPoints) return { t: Float64Array.from(t), v: Float64Array.from(v) };
  const t0 = t[0] as number;
  const span = (t[n - 1] as number) - t0;
  const outT: number[] = [];
  const outV: number[] = [];
  let bucket = -1;
  for (let i = 0; i < n; i++) {
    const ti = t[i] as number;
    const vi = v[i] as number;
    const b = span > 0 ? Math.min(maxPoints - 1, Math.floor(((ti - t0) / span) * maxPoints)) : 0;
    if (b !== bucket) {
      bucket = b;
      outT.push(ti);
      outV.push(vi);
    } else if (vi < (outV[outV.length - 1] as number)) {
      outT[outT.length - 1] = ti;
      outV[outV.length - 1] = vi;
    }
  }
  return { t: Float64Array.from(outT), v: Float64Array.from(outV) };
}
