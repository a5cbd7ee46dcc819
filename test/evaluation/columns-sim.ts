import { createRng } from '../../common/rng.ts';
import { sampleFeatures } from '../../fixtures/datasets/distribution.ts';
import { WindowEvaluator } from '../../monitor/evaluation/evaluate.ts';
import type { DriftSettings, Evaluation } from '../../monitor/evaluation/types.ts';
import type { Matrix } from '../../monitor/drift/matrix.ts';
import { matrixOf, slice } from './family-sim.ts';

/**
 * Seeded simulations for missing values and categorical features (issue 11, items 3 and 4),
 * shared by test/evaluation/columns.test.ts and bench/columns.bench.ts: monitor-like sliding
 * windows over streams whose cells go missing at a set rate, or with categorical columns drawn
 * from a long-tailed distribution and coded as the monitor codes them (reference vocabulary,
 * unseen values new codes).
 */

/** Blanks (NaN) each cell of `features` with probability rate(row) — seeded. */
export function blank(m: Matrix, seed: number, rate: (row: number, feature: number) => number, features?: readonly number[]): Matrix {
  const rng = createRng(seed);
  const data = m.data.slice();
  const cols = features ?? Array.from({ length: m.cols }, (_, j) => j);
  for (let i = 0; i < m.rows; i++) for (const j of cols) if (rng.next() < rate(i, j)) data[i * m.cols + j] = NaN;
  return { data, rows: m.rows, cols: m.cols };
}

/** Evaluates windows of `window` rows every `step` rows; features f0.. with `categorical` levels by name. */
export function evaluateWindows(reference: Matrix, stream: Matrix, settings: DriftSettings, window: number, step: number, categorical?: Record<string, number>): Evaluation[] {
  const evaluator = new WindowEvaluator({
    type: 'reference',
    features: Array.from({ length: reference.cols }, (_, j) => `f${j}`),
    ...(categorical ? { categorical } : {}),
    outputNames: [],
    inputs: reference,
    settings,
  });
  const out: Evaluation[] = [];
  for (let end = window, seq = 1; end <= stream.rows; end += step, seq++) {
    out.push(evaluator.evaluate({ type: 'evaluate', id: seq, seq, inputs: slice(stream, end - window, end) }));
  }
  return out;
}

/** Fixture numeric features with 1 % of every cell missing (reference and stream), and optionally a feature whose stream rate differs. */
export function missingStream(seed: number, refRows: number, streamRows: number, features: number, streamRate: (feature: number) => number = () => 0.01): { reference: Matrix; stream: Matrix } {
  const cut = (rows: number[][]): Matrix => matrixOf(rows.map((r) => r.slice(0, features)));
  const reference = blank(cut(sampleFeatures(refRows, seed)), seed + 1, () => 0.01);
  const stream = blank(cut(sampleFeatures(streamRows, seed + 7919)), seed + 2, (_, j) => streamRate(j));
  return { reference, stream };
}

/** Category k of K with probability ∝ 1/(k+1)^1.2 (a long, sparse tail). */
function zipf(levels: number): number[] {
  const w = Array.from({ length: levels }, (_, k) => 1 / (k + 1) ** 1.2);
  const total = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  return w.map((x) => (acc += x / total));
}

/**
 * `numeric` fixture features then `cats` categorical columns of `levels` long-tailed categories,
 * coded as the monitor codes them: the reference's distinct values sorted → 0..K−1, a stream value
 * the reference never had → a new code from K up.
 */
export function categoricalStream(seed: number, refRows: number, streamRows: number, numeric: number, cats: number, levels: number): { reference: Matrix; stream: Matrix; categorical: Record<string, number> } {
  const cdf = zipf(levels);
  const rng = createRng(seed + 31);
  const draw = (): string => { const u = rng.next(); const k = cdf.findIndex((c) => u <= c); return `c${k < 0 ? levels - 1 : k}`; };
  const refNum = sampleFeatures(refRows, seed).map((r) => r.slice(0, numeric));
  const curNum = sampleFeatures(streamRows, seed + 7919).map((r) => r.slice(0, numeric));
  const refCat = refNum.map(() => Array.from({ length: cats }, draw));
  const curCat = curNum.map(() => Array.from({ length: cats }, draw));
  const categorical: Record<string, number> = {};
  const codes: Map<string, number>[] = [];
  for (let c = 0; c < cats; c++) {
    const vocab = [...new Set(refCat.map((r) => r[c] as string))].sort();
    categorical[`f${numeric + c}`] = vocab.length;
    codes.push(new Map(vocab.map((v, k) => [v, k])));
  }
  const code = (c: number, v: string): number => {
    const m = codes[c] as Map<string, number>;
    let k = m.get(v);
    if (k === undefined) { k = m.size; m.set(v, k); }
    return k;
  };
  const rows = (num: number[][], cat: string[][]): Matrix => matrixOf(num.map((r, i) => [...r, ...(cat[i] as string[]).map((v, c) => code(c, v))]));
  return { reference: rows(refNum, refCat), stream: rows(curNum, curCat), categorical };
}
