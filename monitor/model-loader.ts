import { createMicroBatcher, inferenceErrors, loadReferenceModel, unfedInputs, mapFeatures, selectColumns, type FeatureMapping, type Prediction, type ReferenceModel as OnnxModel } from './inference/index.ts';
import { monitorErrors } from './errors.ts';
import type { ModelOutput, ReferenceModel } from './model.ts';
import type { Matrix } from './state/window.ts';

export interface LoadModelSettings {
  readonly expectedSha256?: string | undefined;
  /** `--model-output`: the scored output (default: the float probabilities or the only float output). */
  readonly outputName?: string | undefined;
  readonly batching: { maxBatch: number; maxDelayMs: number };
  /** The reference set's features, in column order (observations come in this order). */
  readonly features: readonly string[];
  /** Where the features come from, for error messages. */
  readonly referenceSource: string;
  /**
   * The categorical features' vocabularies by name (code = index), live: the engine appends the
   * values the reference never had, so a string input is fed every value as it came.
   */
  readonly vocabularies?: Readonly<Record<string, string[]>> | undefined;
}

/**
 * Loads the reference ONNX model (monitor/inference, onnxruntime-node; a SHA-256 mismatch
 * refuses to start; a ZipMap output is read as its tensor), maps the reference features onto
 * its inputs, and puts live-row inference behind a micro-batcher, so concurrent observation
 * batches (API calls, proxied requests) are coalesced into one `session.run`.
 */
export async function loadModel(path: string, settings: LoadModelSettings): Promise<ReferenceModel> {
  const onnx = await loadReferenceModel(path, {
    ...(settings.expectedSha256 ? { expectedSha256: settings.expectedSha256 } : {}),
    ...(settings.outputName ? { outputName: settings.outputName } : {}),
    // The label output is fetched only for observations that carry deployed labels.
    readLabel: false,
  });
  const vocab = settings.vocabularies;
  if (!vocab) {
    const unfed = unfedInputs(onnx.plan);
    if (unfed) {
      await onnx.close();
      throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: unfed });
    }
  }
  let mapping: FeatureMapping;
  try {
    mapping = mapFeatures(onnx.plan, settings.features);
  } catch (err) {
    await onnx.close();
    throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: settings.referenceSource, reason: (err as Error).message });
  }
  // A string input is fed its reference feature's values; that feature must be categorical.
  const vocabularies: Record<number, string[]> = {};
  let column = 0;
  for (const input of onnx.plan.inputs) {
    for (let w = 0; w < input.width; w++, column++) {
      const feature = settings.features[mapping.columns[column] as number] as string;
      const values = vocab?.[feature];
      if (values) vocabularies[column] = values;
      else if (input.elemType === 'string') {
        await onnx.close();
        throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: `input ${input.name} is tensor(string): it is fed the reference feature ${feature}, which is numeric (give it strings in the reference set, or declare it categorical in config features)` });
      }
    }
  }
  return adaptModel(onnx, settings.batching, mapping, Object.keys(vocabularies).length > 0 ? vocabularies : undefined);
}

/**
 * The onnx model under the monitor's interface: float64 matrices in reference-feature order, as
 * the windows hold (the mapping picks and orders the model's columns; without one, the columns
 * are the model's own).
 */
export function adaptModel(onnx: OnnxModel, batching: { maxBatch: number; maxDelayMs: number }, mapping?: FeatureMapping, vocabularies?: Readonly<Record<number, readonly string[]>>): ReferenceModel {
  const batcher = createMicroBatcher(onnx, { ...batching, ...(vocabularies ? { vocabularies } : {}) });
  const identity = mapping === undefined || (mapping.unused.length === 0 && mapping.columns.every((c, k) => c === k));
  const toModel = (m: Matrix): Matrix => (identity || !mapping ? m : { data: selectColumns(m.data, m.rows, m.cols, mapping.columns), rows: m.rows, cols: mapping.columns.length });
  return {
    path: onnx.path, sha256: onnx.sha256, inputName: onnx.inputName, outputName: onnx.outputName,
    inputShape: onnx.inputShape, outputShape: onnx.outputShape,
    inputDim: mapping ? mapping.columns.length + mapping.unused.length : onnx.inputDim, outputDim: onnx.outputDim,
    loadTimeMs: onnx.loadTimeMs,
    plan: onnx.plan,
    ...(mapping ? { mapping } : {}),
    predict: async (m: Matrix, options?: { labels?: boolean }) => toMatrix(await onnx.predict({ ...toModel(m), ...(vocabularies ? { vocabularies } : {}) }, options)),
    infer: async (m: Matrix, options?: { labels?: boolean }) => toMatrix(await batcher.predictMany(toModel(m), options)),
    close: async () => { await batcher.close(); await onnx.close(); },
  };
}

function toMatrix(p: Prediction): ModelOutput {
  return { data: Float64Array.from(p.data), rows: p.rows, cols: p.cols, ...(p.labels ? { labels: p.labels } : {}) };
}
