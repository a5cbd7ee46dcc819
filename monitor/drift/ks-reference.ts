/**
 * The two-sample KS statistic against a fixed, prepared reference — without sorting the current
 * sample. The statistic only depends on where each current value falls among the sorted
 * reference values, so each current value gets its rank R(y) = #{reference ≤ y} (plus whether it
 * equals a reference value), the ranks are counted, and one walk over the reference computes
 * sup |F_ref − F_cur| exactly as the merge walk over two sorted samples does (ties included, ECDFs
 * evaluated after all tied values). Ranks come from a bucket table over the reference's range
 * (built once) and a binary search inside one bucket: O(1) expected per value for smooth data,
 * O(log n) at worst. Monitoring evaluates many windows against one reference, so the reference
 * side is paid once.
 */
import { driftErrors } from './errors.ts';

export interface KsReference {
  /** Ascending reference values. */
  sorted: Float64Array;
  min: number;
  max: number;
  /** Buckets per unit of value: bucket(y) = floor((y − min) · scale). */
  scale: number;
  /** bucketStart[b] = first index whose value falls in bucket b or later (length buckets + 1). */
  bucketStart: Int32Array;
  /** groupEnd[r] = 1 when some reference value v has #{reference ≤ v} = r (the end of a run of ties). */
  groupEnd: Uint8Array;
}

/**
 * The bucket of a value in [min, max]. Building the table and ranking must use this one function:
 * that it is monotone in the value is what confines a value's rank to its own bucket.
 */
function bucketOf(value: number, min: number, scale: number, buckets: number): number {
  return scale === 0 ? 0 : Math.min(buckets - 1, Math.floor((value - min) * scale));
}

/** Prepares an ascending-sorted, finite reference sample. */
export function prepareKsReference(sorted: Float64Array): KsReference {
  const n = sorted.length;
  if (n === 0) throw driftErrors.VIGIL_DRIFT_EMPTY_SAMPLE({ what: 'the reference', min: 1 });
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  const buckets = Math.max(1, n);
  const span = max - min;
  // A span so small, or so large that it overflows (−1e308 .. 1e308), that the scale is not a finite
  // positive number: one bucket, and the binary search covers the whole reference.
  const scale = span > 0 && Number.isFinite(span) && Number.isFinite(buckets / span) ? buckets / span : 0;
  const bucketStart = new Int32Array(buckets + 1);
  let b = 0;
  for (let i = 0; i < n; i++) {
    const k = bucketOf(sorted[i] as number, min, scale, buckets);
    while (b <= k) bucketStart[b++] = i;
  }
  while (b <= buckets) bucketStart[b++] = n;
  const groupEnd = new Uint8Array(n + 1);
  for (let i = 0; i < n; i++) if (i === n - 1 || (sorted[i + 1] as number) !== (sorted[i] as number)) groupEnd[i + 1] = 1;
  return { sorted, min, max, scale, bucketStart, groupEnd };
}

/**
 * sup_t |F_ref(t) − F_cur(t)| for finite current values (checked: a non-finite value throws
 * VIGIL_DRIFT_NOT_FINITE naming `what` and its index). `counts` is scratch of length ≥ 2(n + 1),
 * reused across calls to avoid allocation.
 */
export function ksStatisticAgainst(ref: KsReference, values: ArrayLike<number>, what: string, counts?: Int32Array): number {
  const { sorted, min, max, scale, bucketStart, groupEnd } = ref;
  const n1 = sorted.length;
  const n2 = values.length;
  if (n2 === 0) throw driftErrors.VIGIL_DRIFT_EMPTY_SAMPLE({ what, min: 1 });
  // equal[r]: current values equal to a reference value with rank r; above[r]: strictly between ranks r and r + 1.
  const scratch = counts && counts.length >= 2 * (n1 + 1) ? counts : new Int32Array(2 * (n1 + 1));
  scratch.fill(0, 0, 2 * (n1 + 1));
  const buckets = bucketStart.length - 1;
  for (let k = 0; k < n2; k++) {
    const y = values[k] as number;
    if (!Number.isFinite(y)) throw driftErrors.VIGIL_DRIFT_NOT_FINITE({ what, value: String(y), row: k, column: 0 });
    let rank: number;
    if (y < min) rank = 0;
    else if (y >= max) rank = n1;
    else {
      // First index with a value > y, searched inside y's bucket: [bucketStart[b], bucketStart[b + 1]].
      const b = bucketOf(y, min, scale, buckets);
      let lo = bucketStart[b] as number;
      let hi = bucketStart[b + 1] as number;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((sorted[mid] as number) <= y) lo = mid + 1;
        else hi = mid;
      }
      rank = lo;
    }
    if (rank > 0 && (sorted[rank - 1] as number) === y) scratch[2 * rank] = (scratch[2 * rank] as number) + 1;
    else scratch[2 * rank + 1] = (scratch[2 * rank + 1] as number) + 1;
  }
  // Walk the ranks: at a reference value with rank r the ECDFs are r/n1 and (#current below + equal)/n2;
  // across the current values strictly inside (r, r + 1) F_ref stays r/n1 while F_cur rises to the
  // count through the gap, so those two points are the only candidates for the supremum.
  let maxPos = 0;
  let maxNeg = 0;
  let j = 0;
  for (let r = 0; r <= n1; r++) {
    const equal = scratch[2 * r] as number;
    const above = scratch[2 * r + 1] as number;
    if (groupEnd[r] === 1) {
      j += equal;
      const diff = r / n1 - j / n2;
      if (diff > maxPos) maxPos = diff;
      if (-diff > maxNeg) maxNeg = -diff;
    }
    if (above > 0) {
      j += above;
      const diff = r / n1 - j / n2;
      if (diff > maxPos) maxPos = diff;
      if (-diff > maxNeg) maxNeg = -diff;
    }
  }
  return Math.max(maxPos, maxNeg);
}
