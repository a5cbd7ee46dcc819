import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { inferenceErrors } from './errors.ts';
import { readModelSignature, type Dim, type ModelSignature } from './model-signature.ts';
import { planModel, UnusableModel, type InputPlan, type ModelPlan } from './model-plan.ts';
import { createRunner } from './model-runner.ts';
import { replaceZipMaps } from './zipmap-adapter.ts';

/** A row-major batch of inputs: `rows` samples of `cols` features (the model's columns, in input order). */
export interface Batch {
  readonly data: Float64Array | Float32Array;
  readonly rows: number;
  readonly cols: number;
  /**
   * Columns that feed string inputs hold category codes: `vocabularies[j][code]` is column j's
   * value (how a categorical feature is carried in a numeric matrix).
   */
  readonly vocabularies?: Readonly<Record<number, readonly string[]>>;
}

/** A row-major batch of model outputs, and the label of each row when the model has a label output. */
export interface Prediction {
  readonly data: Float32Array | Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** int64 labels as numbers, string labels as strings. */
  readonly labels?: readonly (number | string)[];
}

export type { Dim } from './model-signature.ts';

export interface ReferenceModel {
  readonly path: string;
  /** SHA-256 of the file's bytes (the bytes read from disk, before any adaptation), lowercase hex. */
  readonly sha256: string;
  /** The first input's name (see `plan.inputs` for all). */
  readonly inputName: string;
  /** The scored output. */
  readonly outputName: string;
  /** As declared in the model; symbolic dims are strings, e.g. `['batch', 16]`. */
  readonly inputShape: readonly Dim[];
  readonly outputShape: readonly Dim[];
  /** Columns per row, over all inputs. */
  readonly inputDim: number;
  /** Scored outputs per row. */
  readonly outputDim: number;
  /** What is fed and read, and the adaptations made (model-plan.ts). */
  readonly plan: ModelPlan;
  /** The model's signature as declared in the file. */
  readonly signature: ModelSignature;
  /** Reading, hashing, adapting and creating the session, ms. */
  readonly loadTimeMs: number;
  /** Runs the model on a whole batch in one `session.run`. */
  predict(batch: Batch, options?: PredictOptions): Promise<Prediction>;
  /** Releases the session; later calls to `predict` reject with VIGIL_MONITOR_MODEL_CLOSED. */
  close(): Promise<void>;
}

export interface PredictOptions {
  /** Also fetch the label output (default: the model's `readLabel` option). Every output fetched costs a copy. */
  readonly labels?: boolean;
}

export interface LoadModelOptions {
  /** Refuse to load unless the file's SHA-256 is this (hex, case-insensitive). */
  expectedSha256?: string;
  /** The scored output; default the float probabilities or the only float output (model-plan.ts). */
  outputName?: string;
  /** Default of `predict`'s `labels`: read the label output when the model has one (default true). */
  readLabel?: boolean;
  /** onnxruntime intra-op threads; default 1 (small models: a thread pool costs more than it gives). */
  intraOpThreads?: number;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Loads the reference ONNX model: reads the file once, hashes those bytes, checks them against
 * `expectedSha256`, reads the signature from the same bytes, plans what to feed and read
 * (model-plan.ts), and creates the onnxruntime session from those bytes, adapted in memory where
 * the plan says so (a ZipMap output replaced by its tensor). No window between check and load.
 */
export async function loadReferenceModel(path: string, options: LoadModelOptions = {}): Promise<ReferenceModel> {
  const started = performance.now();
  const expected = options.expectedSha256?.toLowerCase();
  if (expected !== undefined && !/^[0-9a-f]{64}$/.test(expected)) throw inferenceErrors.VIGIL_MONITOR_MODEL_BAD_SHA256({ value: options.expectedSha256 });
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw inferenceErrors.VIGIL_MONITOR_MODEL_NOT_FOUND({ path, reason: (err as Error).message }, { cause: err });
  }
  const sha256 = sha256Hex(bytes);
  if (expected !== undefined && expected !== sha256) throw inferenceErrors.VIGIL_MONITOR_MODEL_SHA256_MISMATCH({ path, expected, actual: sha256 });
  return createSession(bytes, path, sha256, options, started);
}

/**
 * A reference model from bytes already in memory (e.g. a model variant derived in a fixture);
 * `label` stands in for the path in `path` and in error messages.
 */
export async function referenceModelFromBytes(bytes: Uint8Array, label: string, options: Omit<LoadModelOptions, 'expectedSha256'> = {}): Promise<ReferenceModel> {
  return createSession(bytes, label, sha256Hex(bytes), options, performance.now());
}

async function createSession(bytes: Uint8Array, path: string, sha256: string, options: LoadModelOptions, started: number): Promise<ReferenceModel> {
  let signature: ModelSignature;
  try {
    signature = readModelSignature(bytes);
  } catch (err) {
    throw inferenceErrors.VIGIL_MONITOR_MODEL_LOAD_FAILED({ path, reason: `not an ONNX ModelProto (${(err as Error).message})` }, { cause: err });
  }
  let plan: ModelPlan;
  try {
    plan = planModel(signature, options.outputName === undefined ? {} : { outputName: options.outputName });
  } catch (err) {
    if (err instanceof UnusableModel) throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: err.message });
    throw err;
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(replaceZipMaps(bytes, plan.zipMaps), {
      intraOpNumThreads: options.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
  } catch (err) {
    throw inferenceErrors.VIGIL_MONITOR_MODEL_LOAD_FAILED({ path, reason: (err as Error).message }, { cause: err });
  }
  const runner = createRunner(session, plan, path);
  const readLabel = options.readLabel ?? true;
  const first = plan.inputs[0] as InputPlan;
  let closed = false;
  return Object.freeze({
    path, sha256, plan, signature,
    loadTimeMs: performance.now() - started,
    inputName: first.name, outputName: plan.scored.name,
    inputShape: first.shape, outputShape: plan.scored.shape,
    inputDim: plan.inputDim, outputDim: plan.scored.width,
    predict: (batch: Batch, predictOptions?: PredictOptions) => {
      if (closed) return Promise.reject(inferenceErrors.VIGIL_MONITOR_MODEL_CLOSED({ what: path }));
      return runner(batch, predictOptions?.labels ?? readLabel);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await session.release();
    },
  });
}
