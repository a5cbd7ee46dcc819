import { columnMajor, type Matrix } from './matrix.ts';
import { planSubset, type PermutationPlan } from './permutation-plan.ts';

/**
 * Two-sample KS statistics of every feature under the permutations of a shared plan
 * (permutation-plan.ts), so KS can join the MMD in one family-wise min-p (family.ts).
 * Per evaluation each feature's pooled values are put in ascending order once (the reference
 * order is computed once per reference); a permutation then only relabels rows, and its
 * statistic is one walk over that order: O(N) per feature and permutation, no sorting.
 * Ties are handled as in ksStatisticSorted: the ECDFs are compared only after a run of equal values.
 * Pure computation.
 */
export interface KsPermutationReference {
  readonly n: number;
  readonly cols: number;
  /** Per feature: reference row indices in ascending order of value, and those values. */
  readonly order: readonly Int32Array[];
  readonly sorted: readonly Float64Array[];
}

export function prepareKsPermutation(ref: Matrix): KsPermutationReference {
  const cols = columnMajor(ref);
  const order: Int32Array[] = [];
  const sorted: Float64Array[] = [];
  for (let c = 0; c < ref.cols; c++) {
    const values = cols.subarray(c * ref.rows, (c + 1) * ref.rows);
    const o = argsort(values);
    order.push(o);
    sorted.push(Float64Array.from(o, (i) => values[i] as number));
  }
  return { n: ref.rows, cols: ref.cols, order, sorted };
}

/** Row indices of `values` in ascending order of value (stable). */
export function argsort(values: Float64Array): Int32Array {
  const idx = Int32Array.from({ length: values.length }, (_, i) => i);
  return idx.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
}

/** A feature's pooled order: pooled row indices (current rows offset by n) ascending by value, and where runs of ties end. */
interface PooledOrder { rows: Int32Array; runEnd: Uint8Array }

function pooledOrder(ref: KsPermutationReference, c: number, curValues: Float64Array): PooledOrder {
  const n = ref.n;
  const m = curValues.length;
  const curOrder = argsort(curValues);
  const refOrder = ref.order[c] as Int32Array;
  const refSorted = ref.sorted[c] as Float64Array;
  const rows = new Int32Array(n + m);
  const values = new Float64Array(n + m);
  let i = 0, j = 0, k = 0;
  while (i < n || j < m) {
    const takeRef = j >= m || (i < n && (refSorted[i] as number) <= (curValues[curOrder[j] as number] as number));
    if (takeRef) { rows[k] = refOrder[i] as number; values[k] = refSorted[i] as number; i++; }
    else { const r = curOrder[j] as number; rows[k] = n + r; values[k] = curValues[r] as number; j++; }
    k++;
  }
  const runEnd = new Uint8Array(n + m);
  for (let t = 0; t < n + m; t++) runEnd[t] = t === n + m - 1 || (values[t + 1] as number) !== (values[t] as number) ? 1 : 0;
  return { rows, runEnd };
}

/**
 * D of every feature under every permutation of the plan: out[b·cols + c]. Row b = -1 is not
 * stored; the observed statistics come from the KS test itself (same value, checked in the tests).
 */
export function permutedKsStatistics(ref: KsPermutationReference, cur: Matrix, plan: PermutationPlan): Float64Array {
  const { n, cols } = ref;
  const m = cur.rows;
  if (plan.n !== n || plan.m !== m) throw new RangeError(`permutation plan is for ${plan.n}+${plan.m} rows, KS for ${n}+${m}`);
  const curCols = columnMajor(cur);
  const orders: PooledOrder[] = [];
  for (let c = 0; c < cols; c++) orders.push(pooledOrder(ref, c, curCols.subarray(c * m, (c + 1) * m)));
  const out = new Float64Array(plan.permutations * cols);
  const isCurrent = new Uint8Array(n + m);
  for (let b = 0; b < plan.permutations; b++) {
    const s = planSubset(plan, b);
    isCurrent.fill(0);
    for (let t = 0; t < m; t++) isCurrent[s[t] as number] = 1;
    for (let c = 0; c < cols; c++) out[b * cols + c] = walk(orders[c] as PooledOrder, isCurrent, n, m);
  }
  return out;
}

/**
 * The KS statistic of one labelling: sup over runs of ties of |#ref/n − #cur/m|. With t + 1 rows
 * seen and `cur` of them current, #ref/n − #cur/m = (t + 1)/n − cur·(1/n + 1/m): only the extremes
 * of that line are needed, no division or abs per row.
 */
export function walk(order: PooledOrder, isCurrent: Uint8Array, n: number, m: number): number {
  const { rows, runEnd } = order;
  const a = 1 / n;
  const k = 1 / n + 1 / m;
  let cur = 0;
  let hi = 0;
  let lo = 0;
  for (let t = 0; t < rows.length; t++) {
    cur += isCurrent[rows[t] as number] as number;
    if (runEnd[t] === 1) {
      const v = (t + 1) * a - cur * k;
      if (v > hi) hi = v;
      else if (v < lo) lo = v;
    }
  }
  return Math.max(hi, -lo);
}

export { pooledOrder as ksPooledOrder };
