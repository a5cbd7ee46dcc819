import {
  CITIES, EXPORTED_CLASSES, EXPORTED_FEATURES, linearWeights, regressorWeights, treeEnsembleWeights,
  type LinearWeights, type TreeEnsembleWeights,
} from '../../fixtures/models/exported-weights.ts';
import { LOGREG_SEED, MIXED_SEED, NUMERIC_SEED, REGRESSOR_SEED, TREES_ROUNDS, TREES_SEED } from '../../fixtures/models/exported.ts';

/**
 * The exporter-shaped fixture models computed in plain float64 JS from their seeded weights,
 * independently of onnxruntime and of the graphs: what each model must answer for a row.
 */
export interface Expected {
  /** The scored output (probabilities or the regression value). */
  readonly scores: readonly number[];
  /** The predicted class label, for classifiers. */
  readonly label?: number;
}

const f32 = Math.fround;

function softmax(s: readonly number[]): number[] {
  const m = Math.max(...s);
  const e = s.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

function argmax(xs: readonly number[]): number {
  return xs.indexOf(Math.max(...xs));
}

function linearClassifier(w: LinearWeights, x: readonly number[]): Expected {
  const scores = Array.from({ length: w.classes }, (_, c) => {
    let s = w.intercepts[c] as number;
    for (let j = 0; j < w.features; j++) s += (w.coefficients[c * w.features + j] as number) * (x[j] as number);
    return s;
  });
  return { scores: softmax(scores), label: argmax(scores) };
}

function trees(w: TreeEnsembleWeights, x: readonly number[]): Expected {
  const scores = [...w.baseValues];
  for (const tree of w.trees) {
    const goesLeft = (node: number) => {
      const split = tree.splits[node] as { feature: number; threshold: number };
      return f32(x[split.feature] as number) <= split.threshold;
    };
    const leaf = goesLeft(0) ? (goesLeft(1) ? 0 : 1) : (goesLeft(2) ? 2 : 3);
    scores[tree.classId] = (scores[tree.classId] as number) + (tree.leaves[leaf] as number);
  }
  return { scores: softmax(scores), label: argmax(scores) };
}

export const logregWeights = linearWeights(LOGREG_SEED, EXPORTED_FEATURES, EXPORTED_CLASSES);
export const treeWeights = treeEnsembleWeights(TREES_SEED, TREES_ROUNDS);

/** Rows are feature vectors in the model's input order (for the pipelines: age, income, city/visits). */
export const EXPECTED: Readonly<Record<string, (x: readonly (number | string)[]) => Expected>> = {
  'sklearn-logreg-zipmap.onnx': (x) => linearClassifier(logregWeights, (x as number[]).map(f32)),
  'sklearn-logreg.onnx': (x) => linearClassifier(logregWeights, (x as number[]).map(f32)),
  'lightgbm-trees-zipmap.onnx': (x) => trees(treeWeights, x as number[]),
  'float64-regressor.onnx': (x) => {
    const w = regressorWeights(REGRESSOR_SEED, EXPORTED_FEATURES);
    return { scores: [w.w.reduce((s, wj, j) => s + wj * (x[j] as number), w.b)] };
  },
  'pipeline-numeric.onnx': (x) => {
    const w = regressorWeights(NUMERIC_SEED, 3);
    return { scores: [w.w.reduce((s, wj, j) => s + f32(wj) * f32(x[j] as number), f32(w.b))] };
  },
  'pipeline-mixed.onnx': (x) => {
    const [age, income, city] = x as [number, number, string];
    const oneHot = CITIES.map((c) => (c === city ? 1 : 0));
    return linearClassifier(linearWeights(MIXED_SEED, 2 + CITIES.length, EXPORTED_CLASSES), [f32(age), f32(income), ...oneHot]);
  },
};
