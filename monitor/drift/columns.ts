import { chiSquareSf } from './gamma.ts';
import { ksFromStatistic, ksStatisticSorted } from './ks.ts';
import { argsort, walk } from './ks-permutation.ts';
import type { Matrix } from './matrix.ts';
import { missingRateTest } from './missing.ts';
import { MIN_EXPECTED } from './chi2.ts';
import { planSubset, type PermutationPlan } from './permutation-plan.ts';
import { psiFromProportions } from './psi.ts';
import { sortFloat64 } from './sort.ts';

/**
 * Missing values and categorical features for the monitor's family of tests (issue 11, items 3
 * and 4). Pooled rows are numbered as in a permutation plan: reference rows 0..n−1, window rows
 * n..n+m−1. Each test here gives its observed p-value and, on a shared plan, the p-value of the
 * same test under each permutation (its min-p shares, family.ts): the same function applied to
 * every labelling, so the family's min-p stays exact.
 * - missing rate: Fisher's exact test (missing.ts) of the window's missing count; under a
 *   permutation only that count changes (the margins are fixed), so p-values are memoised by it.
 * - KS on the observed values of a feature with missing values: the walk over the pooled order
 *   of observed rows with each labelling's own observed sizes, exact KS p-value (memoised).
 * - chi-square of a categorical feature (codes; NaN missing, ignored): categories pooled as the
 *   CLI pools them (chi2.ts: expected count below 5 → "(other)", merged into the smallest if still
 *   sparse), the pooling decided from the pooled counts and the sample sizes, which no permutation
 *   changes; statistic with each labelling's observed sizes.
 * Pure computation.
 */

/** Column j of a row-major matrix. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j] as number;
  return out;
}

export function countMissing(values: Float64Array): number {
  let k = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) k++;
  return k;
}

export function observedSorted(values: Float64Array): Float64Array {
  return sortFloat64(values.filter((x) => !Number.isNaN(x)));
}

/** The median of the observed values (0 when none is observed): what MMD imputes for a missing value. */
export function observedMedian(values: Float64Array): number {
  const s = observedSorted(values);
  if (s.length === 0) return 0;
  const h = s.length >> 1;
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

/** The columns `cols` of `m`, NaN replaced by `fill[k]` (row-major). */
export function imputedColumns(m: Matrix, cols: readonly number[], fill: ArrayLike<number>): Matrix {
  const d = cols.length;
  const data = new Float64Array(m.rows * d);
  for (let i = 0; i < m.rows; i++) {
    for (let k = 0; k < d; k++) {
      const x = m.data[i * m.cols + (cols[k] as number)] as number;
      data[i * d + k] = Number.isNaN(x) ? (fill[k] as number) : x;
    }
  }
  return { data, rows: m.rows, cols: d };
}

/** Per permutation of the plan: a share (p-value) from the labelling; isCurrent[r] = 1 for pooled rows labelled window. */
export type ShareOf = (isCurrent: Uint8Array, subset: Int32Array) => number;

/** Runs every test on every permutation (one labelling built per permutation); shares[h][b + 1]; index 0 left for the observed p-value. */
export function sharesOnPlan(plan: PermutationPlan, tests: readonly ShareOf[]): Float64Array[] {
  const out = tests.map(() => new Float64Array(plan.permutations + 1));
  if (tests.length === 0) return out;
  const isCurrent = new Uint8Array(plan.n + plan.m);
  for (let b = 0; b < plan.permutations; b++) {
    const s = planSubset(plan, b);
    isCurrent.fill(0);
    for (let t = 0; t < plan.m; t++) isCurrent[s[t] as number] = 1;
    tests.forEach((f, h) => { (out[h] as Float64Array)[b + 1] = f(isCurrent, s); });
  }
  return out;
}

/** Missing-rate test of one feature: observed result and its permutation share function. */
export function missingTest(ref: Float64Array, cur: Float64Array): { referenceRate: number; windowRate: number; pValue: number; share: ShareOf } {
  const n = ref.length;
  const m = cur.length;
  const refMissing = countMissing(ref);
  const curMissing = countMissing(cur);
  const total = refMissing + curMissing;
  const observed = missingRateTest(refMissing, n, curMissing, m);
  const missingRows: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isNaN(ref[i])) missingRows.push(i);
  for (let i = 0; i < m; i++) if (Number.isNaN(cur[i])) missingRows.push(n + i);
  const memo = new Map<number, number>();
  const share: ShareOf = (isCurrent) => {
    let k = 0;
    for (const r of missingRows) k += isCurrent[r] as number;
    let p = memo.get(k);
    if (p === undefined) { p = missingRateTest(total - k, n, k, m).pValue; memo.set(k, p); }
    return p;
  };
  return { referenceRate: observed.referenceRate, windowRate: observed.windowRate, pValue: observed.pValue, share };
}

/** KS on the observed values of one feature (either side may have missing values). */
export function ksObserved(ref: Float64Array, cur: Float64Array): { statistic: number; pValue: number; share: ShareOf; shareOfObserved: number } {
  const n = ref.length;
  const m = cur.length;
  const pooled = new Float64Array(n + m);
  pooled.set(ref, 0);
  pooled.set(cur, n);
  const observedRows = Int32Array.from(pooled.keys()).filter((r) => !Number.isNaN(pooled[r]));
  const values = Float64Array.from(observedRows, (r) => pooled[r] as number);
  const order = argsort(values);
  const rows = Int32Array.from(order, (k) => observedRows[k] as number);
  const sortedValues = Float64Array.from(order, (k) => values[k] as number);
  const runEnd = new Uint8Array(rows.length);
  for (let t = 0; t < rows.length; t++) runEnd[t] = t === rows.length - 1 || sortedValues[t + 1] !== sortedValues[t] ? 1 : 0;
  const refObs = observedSorted(ref);
  const curObs = observedSorted(cur);
  const statistic = refObs.length > 0 && curObs.length > 0 ? ksStatisticSorted(refObs, curObs) : 0;
  const pValue = refObs.length > 0 && curObs.length > 0 ? ksFromStatistic(statistic, refObs.length, curObs.length).pValue : 1;
  // The share is the asymptotic p-value at each labelling's own observed sizes (Stephens' form):
  // the exact one at every distinct (sizes, statistic) pair cost ~1 s per evaluation.
  const share: ShareOf = (isCurrent) => {
    let mb = 0;
    for (let t = 0; t < rows.length; t++) mb += isCurrent[rows[t] as number] as number;
    const nb = rows.length - mb;
    if (nb === 0 || mb === 0) return 1;
    return ksAsymptoticP(walk({ rows, runEnd }, isCurrent, nb, mb), nb, mb);
  };
  return { statistic, pValue, share, shareOfObserved: curObs.length > 0 && refObs.length > 0 ? ksAsymptoticP(statistic, refObs.length, curObs.length) : 1 };
}

/** Kolmogorov's limiting law with Stephens' small-sample factor: P(D > d) ≈ Q((√e + 0.12 + 0.11/√e)·d), e = nm/(n+m). */
export function ksAsymptoticP(d: number, n: number, m: number): number {
  const e = Math.sqrt((n * m) / (n + m));
  const lambda = (e + 0.12 + 0.11 / e) * d;
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = (k % 2 === 1 ? 2 : -2) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-16) break;
  }
  return Math.min(1, Math.max(0, sum));
}

export interface CategoricalOutcome {
  readonly chi2: number;
  readonly dof: number;
  readonly pValue: number;
  readonly psi: number;
  /** Distinct values in the window that the reference never had (codes ≥ the vocabulary size). */
  readonly unseenCategories: number;
}

/** Chi-square homogeneity of one categorical feature (codes; codes ≥ `levels` are unseen values). */
export function categoricalTest(ref: Float64Array, cur: Float64Array, levels: number): CategoricalOutcome & { share: ShareOf } {
  const n = ref.length;
  const m = cur.length;
  // Codes present in either sample, in code order.
  const index = new Map<number, number>();
  const codeOf = (x: number): number => {
    let k = index.get(x);
    if (k === undefined) { k = index.size; index.set(x, k); }
    return k;
  };
  const pooledCat = new Int32Array(n + m).fill(-1);
  for (let i = 0; i < n; i++) if (!Number.isNaN(ref[i])) pooledCat[i] = codeOf(ref[i] as number);
  for (let i = 0; i < m; i++) if (!Number.isNaN(cur[i])) pooledCat[n + i] = codeOf(cur[i] as number);
  const k = index.size;
  const refCounts = new Float64Array(k);
  const curCounts = new Float64Array(k);
  for (let r = 0; r < n + m; r++) {
    const c = pooledCat[r] as number;
    if (c < 0) continue;
    if (r < n) refCounts[c] = (refCounts[c] as number) + 1;
    else curCounts[c] = (curCounts[c] as number) + 1;
  }
  const unseen = new Set<number>();
  for (let i = 0; i < m; i++) if ((cur[i] as number) >= levels) unseen.add(cur[i] as number);
  // PSI over the categories as they are (as the CLI's categoricalPsi), observed values only.
  const nObs = refCounts.reduce((a, b) => a + b, 0);
  const mObs = curCounts.reduce((a, b) => a + b, 0);
  const psi = nObs > 0 && mObs > 0 ? psiFromProportions(Array.from(refCounts, (c) => c / nObs), Array.from(curCounts, (c) => c / mObs)) : 0;
  // Pooling from the pooled counts and the sample sizes: the same for every labelling.
  const total = n + m;
  const minExpected = (pooledCount: number): number => (Math.min(n, m) * pooledCount) / total;
  const cellOfCode = new Int32Array(k);
  const kept: number[] = [];
  const sparse: number[] = [];
  for (let c = 0; c < k; c++) (minExpected((refCounts[c] as number) + (curCounts[c] as number)) >= MIN_EXPECTED ? kept : sparse).push(c);
  kept.forEach((c, cell) => { cellOfCode[c] = cell; });
  let cells = kept.length;
  if (sparse.length > 0) {
    const otherCount = sparse.reduce((a, c) => a + (refCounts[c] as number) + (curCounts[c] as number), 0);
    let target: number;
    if (minExpected(otherCount) >= MIN_EXPECTED || kept.length === 0) target = cells++;
    else {
      let smallest = 0;
      kept.forEach((c, cell) => { const t = (refCounts[c] as number) + (curCounts[c] as number); const s = (refCounts[kept[smallest] as number] as number) + (curCounts[kept[smallest] as number] as number); if (t < s) smallest = cell; });
      target = smallest;
    }
    for (const c of sparse) cellOfCode[c] = target;
  }
  const cellTotals = new Float64Array(cells);
  for (let c = 0; c < k; c++) { const h = cellOfCode[c] as number; cellTotals[h] = (cellTotals[h] as number) + (refCounts[c] as number) + (curCounts[c] as number); }
  const dof = cells - 1;
  const scratch = new Float64Array(cells);
  const statisticOf = (curCell: Float64Array): number => {
    let mb = 0;
    for (let h = 0; h < cells; h++) mb += curCell[h] as number;
    const tot = nObs + mObs;
    const nb = tot - mb;
    if (dof < 1 || mb === 0 || nb === 0) return 0;
    let s = 0;
    for (let h = 0; h < cells; h++) {
      const col = cellTotals[h] as number;
      const eCur = (mb * col) / tot;
      const eRef = (nb * col) / tot;
      const c = curCell[h] as number;
      s += (c - eCur) ** 2 / eCur + (col - c - eRef) ** 2 / eRef;
    }
    return s;
  };
  const pOf = (s: number): number => (dof < 1 ? 1 : chiSquareSf(s, dof));
  for (let c = 0; c < k; c++) { const h = cellOfCode[c] as number; scratch[h] = (scratch[h] as number) + (curCounts[c] as number); }
  const chi2 = statisticOf(scratch);
  const cellOfRow = Int32Array.from(pooledCat, (c) => (c < 0 ? -1 : (cellOfCode[c] as number)));
  const share: ShareOf = (_isCurrent, subset) => {
    scratch.fill(0);
    for (let t = 0; t < subset.length; t++) {
      const h = cellOfRow[subset[t] as number] as number;
      if (h >= 0) scratch[h] = (scratch[h] as number) + 1;
    }
    return pOf(statisticOf(scratch));
  };
  return { chi2, dof: Math.max(0, dof), pValue: pOf(chi2), psi, unseenCategories: unseen.size, share };
}
