import type { FeatureMapping, ModelPlan } from './inference/index.ts';
import type { Matrix } from './state/window.ts';

/**
 * What the monitor needs of the reference model (implemented by `monitor/inference`'s
 * onnxruntime-node session). Kept as an interface so the service does not care how it runs.
 */
export interface ReferenceModel {
  readonly path: string;
  readonly sha256: string;
  readonly inputName: string;
  readonly outputName: string;
  readonly inputShape: readonly (number | string)[];
  readonly outputShape: readonly (number | string)[];
  readonly inputDim: number;
  readonly outputDim: number;
  readonly loadTimeMs: number;
  /** What is fed and read, and the adaptations made (a ZipMap read as its tensor). */
  readonly plan?: ModelPlan;
  /** Which reference features feed which input. */
  readonly mapping?: FeatureMapping;
  /** Runs the model on every row, in one call. */
  predict(inputs: Matrix, options?: { labels?: boolean }): Promise<ModelOutput>;
  /** Live-row inference through a micro-batcher (coalesces concurrent calls); defaults to `predict`. */
  infer?(inputs: Matrix, options?: { labels?: boolean }): Promise<ModelOutput>;
  close?(): Promise<void>;
}

/** The scored output, and the label of each row when the model has a label output that is read. */
export type ModelOutput = Matrix & { readonly labels?: readonly (number | string)[] };

/** Runs `predict` over a large matrix in slices of `batch` rows (used for the reference set at start). */
export async function predictInSlices(model: ReferenceModel, inputs: Matrix, batch = 1024): Promise<Matrix> {
  const out = new Float64Array(inputs.rows * model.outputDim);
  for (let start = 0; start < inputs.rows; start += batch) {
    const rows = Math.min(batch, inputs.rows - start);
    const slice = { data: inputs.data.subarray(start * inputs.cols, (start + rows) * inputs.cols), rows, cols: inputs.cols };
    const res = await model.predict(slice);
    out.set(res.data.subarray(0, rows * model.outputDim), start * model.outputDim);
  }
  return { data: out, rows: inputs.rows, cols: model.outputDim };
}
