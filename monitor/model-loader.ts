import { createMicroBatcher, loadReferenceModel, type Prediction, type ReferenceModel as OnnxModel } from './inference/index.ts';
import type { ReferenceModel } from './model.ts';
import type { Matrix } from './state/window.ts';

/**
 * Loads the reference ONNX model (monitor/inference, onnxruntime-node; a SHA-256 mismatch
 * refuses to start) and puts live-row inference behind a micro-batcher, so concurrent
 * observation batches (API calls, proxied requests) are coalesced into one `session.run`.
 */
export async function loadModel(path: string, expectedSha256: string | undefined, batching: { maxBatch: number; maxDelayMs: number }): Promise<ReferenceModel> {
  const onnx = await loadReferenceModel(path, expectedSha256 ? { expectedSha256 } : {});
  return adaptModel(onnx, batching);
}

/** The onnx model under the monitor's interface (float64 matrices, as the windows hold). */
export function adaptModel(onnx: OnnxModel, batching: { maxBatch: number; maxDelayMs: number }): ReferenceModel {
  const batcher = createMicroBatcher(onnx, batching);
  return {
    path: onnx.path, sha256: onnx.sha256, inputName: onnx.inputName, outputName: onnx.outputName,
    inputShape: onnx.inputShape, outputShape: onnx.outputShape, inputDim: onnx.inputDim, outputDim: onnx.outputDim,
    loadTimeMs: onnx.loadTimeMs,
    predict: async (m: Matrix) => toMatrix(await onnx.predict(m)),
    infer: async (m: Matrix) => toMatrix(await batcher.predictMany(m)),
    close: async () => { await batcher.close(); await onnx.close(); },
  };
}

function toMatrix(p: Prediction): Matrix {
  return { data: Float64Array.from(p.data), rows: p.rows, cols: p.cols };
}
