import { join } from 'node:path';
import { sampleFeatures, type Drift } from '../../fixtures/datasets/distribution.ts';
import { loadReferenceModel } from '../../monitor/inference/index.ts';
import { WindowEvaluator } from '../../monitor/evaluation/evaluate.ts';
import type { DriftSettings, Evaluation } from '../../monitor/evaluation/types.ts';
import type { Matrix } from '../../monitor/drift/matrix.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

/**
 * Seeded monitor-like simulations shared by the family tests and bench/family.bench.ts: a
 * reference set and a long stream from the fixture distribution (fixtures/datasets), a sliding
 * window evaluated every `step` samples, optionally with the fixture classifier's outputs.
 */
export const CLASSIFIER = join(REPO_ROOT, 'fixtures/models/classifier.onnx');

export function matrixOf(rows: number[][]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => data.set(r, i * cols));
  return { data, rows: rows.length, cols };
}

export function slice(m: Matrix, from: number, to: number): Matrix {
  return { data: m.data.slice(from * m.cols, to * m.cols), rows: to - from, cols: m.cols };
}

export const SETTINGS: DriftSettings = { alpha: 0.05, correction: 'bonferroni', family: 'minp', permutations: 100, seed: 1, parityTolerance: 1e-4 };

export interface SimStream { reference: Matrix; refOutputs?: Matrix; stream: Matrix; outputs?: Matrix }

/** One stream's data; `predict` (the classifier) adds reference-model outputs. */
export async function simStream(seed: number, refRows: number, streamRows: number, predict?: (m: Matrix) => Promise<Matrix>, drift: Drift = {}): Promise<SimStream> {
  const reference = matrixOf(sampleFeatures(refRows, seed));
  const stream = matrixOf(sampleFeatures(streamRows, seed + 7919, drift));
  if (!predict) return { reference, stream };
  return { reference, stream, refOutputs: await predict(reference), outputs: await predict(stream) };
}

export async function classifierPredict(): Promise<{ predict: (m: Matrix) => Promise<Matrix>; close: () => Promise<void> }> {
  const model = await loadReferenceModel(CLASSIFIER);
  return {
    predict: async (m: Matrix) => {
      const p = await model.predict(m);
      return { data: Float64Array.from(p.data), rows: p.rows, cols: p.cols };
    },
    close: () => model.close(),
  };
}

/** Evaluates windows of `window` rows every `step` rows along the stream. */
export function runWindows(s: SimStream, settings: DriftSettings, window: number, step: number): Evaluation[] {
  const d = s.reference.cols;
  const evaluator = new WindowEvaluator({
    type: 'reference',
    features: Array.from({ length: d }, (_, j) => `f${j}`),
    outputNames: Array.from({ length: s.refOutputs?.cols ?? 0 }, (_, j) => `y${j}`),
    inputs: s.reference,
    ...(s.refOutputs ? { outputs: s.refOutputs } : {}),
    settings,
  });
  const out: Evaluation[] = [];
  for (let end = window, seq = 1; end <= s.stream.rows; end += step, seq++) {
    out.push(evaluator.evaluate({
      type: 'evaluate', id: seq, seq,
      inputs: slice(s.stream, end - window, end),
      ...(s.outputs ? { outputs: slice(s.outputs, end - window, end) } : {}),
    }));
  }
  return out;
}

/** Today's (before issue 11) verdict: the OR of every test's own verdict at alpha. */
export function orVerdict(e: Evaluation): boolean {
  return [e.inputs, e.outputs].some((s) => s !== undefined && (s.ks.detected || s.mmd.detected));
}
