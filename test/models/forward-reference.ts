import type { MlpWeights } from '../../fixtures/models/mlp.ts';

/**
 * The fixture models' forward pass written out in float64 loops, independent of onnxruntime:
 * standardise (unless `skipStandardisation`), dense + ReLU per hidden layer, dense, softmax.
 */
export function forwardReference(w: MlpWeights, softmax: boolean, x: readonly number[], skipStandardisation = false): number[] {
  let h = skipStandardisation ? [...x] : x.map((v, j) => (v - (w.mean[j] as number)) / (w.std[j] as number));
  w.layers.forEach((layer, l) => {
    const next: number[] = [];
    for (let o = 0; o < layer.outDim; o++) {
      let s = layer.b[o] as number;
      for (let i = 0; i < layer.inDim; i++) s += (h[i] as number) * (layer.w[i * layer.outDim + o] as number);
      next.push(l + 1 < w.layers.length ? Math.max(0, s) : s);
    }
    h = next;
  });
  if (!softmax) return h;
  const m = Math.max(...h);
  const e = h.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

export function argmax(xs: readonly number[]): number {
  return xs.indexOf(Math.max(...xs));
}
