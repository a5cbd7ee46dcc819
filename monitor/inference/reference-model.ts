import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { inferenceErrors } from './errors.ts';

/** A row-major batch of inputs: `rows` samples of `cols` features. */
export interface Batch {
  readonly data: Float64Array | Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** A row-major batch of model outputs. */
export interface Prediction {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

export type Dim = number | string;

export interface ReferenceModel {
  readonly path: string;
  /** SHA-256 of the file's bytes (the very bytes the session was created from), lowercase hex. */
  readonly sha256: string;
  readonly inputName: string;
  readonly outputName: string;
  /** As declared in the model; symbolic dims are strings, e.g. `['batch', 16]`. */
  readonly inputShape: readonly Dim[];
  readonly outputShape: readonly Dim[];
  /** Features per row (last input dim). */
  readonly inputDim: number;
  /** Outputs per row (last output dim). */
  readonly outputDim: number;
  /** Reading, hashing and creating the session, ms. */
  readonly loadTimeMs: number;
  /** Runs the model on a whole batch in one `session.run`. */
  predict(batch: Batch): Promise<Prediction>;
  /** Releases the session; later calls to `predict` reject with VIGIL_MONITOR_MODEL_CLOSED. */
  close(): Promise<void>;
}

export interface LoadModelOptions {
  /** Refuse to load unless the file's SHA-256 is this (hex, case-insensitive). */
  expectedSha256?: string;
  /** Output to read when the model has several; default the first. */
  outputName?: string;
  /** onnxruntime intra-op threads; default 1 (small models: a thread pool costs more than it gives). */
  intraOpThreads?: number;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Loads the reference ONNX model: reads the file once, hashes those bytes, checks them against
 * `expectedSha256`, and creates the onnxruntime session from the same bytes (no window between
 * check and load). Input/output names and shapes come from the session's metadata.
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
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: options.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
  } catch (err) {
    throw inferenceErrors.VIGIL_MONITOR_MODEL_LOAD_FAILED({ path, reason: (err as Error).message }, { cause: err });
  }
  try {
    return referenceModel(session, path, sha256, options.outputName, performance.now() - started);
  } catch (err) {
    await session.release();
    throw err;
  }
}

function referenceModel(session: ort.InferenceSession, path: string, sha256: string, wantedOutput: string | undefined, loadTimeMs: number): ReferenceModel {
  if (session.inputMetadata.length !== 1) throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: `it has ${session.inputMetadata.length} inputs` });
  const input = tensorMeta(session.inputMetadata[0], path, 'input');
  const outputMeta = wantedOutput === undefined ? session.outputMetadata[0] : session.outputMetadata.find((m) => m.name === wantedOutput);
  if (outputMeta === undefined) throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: `it has no output named ${wantedOutput ?? '(any)'}` });
  const output = tensorMeta(outputMeta, path, 'output');
  let closed = false;

  const predict = async (batch: Batch): Promise<Prediction> => {
    if (closed) throw inferenceErrors.VIGIL_MONITOR_MODEL_CLOSED({ what: path });
    if (batch.cols !== input.dim || batch.data.length < batch.rows * batch.cols) {
      throw inferenceErrors.VIGIL_MONITOR_MODEL_INPUT_SHAPE({ expected: input.dim, actual: batch.cols });
    }
    if (batch.rows === 0) return { data: new Float32Array(0), rows: 0, cols: output.dim };
    const n = batch.rows * batch.cols;
    const data = batch.data instanceof Float32Array ? batch.data.subarray(0, n) : Float32Array.from(batch.data.subarray(0, n));
    const feeds = { [input.name]: new ort.Tensor('float32', data, [batch.rows, batch.cols]) };
    const results = await session.run(feeds, [output.name]);
    const result = results[output.name];
    if (result === undefined || !(result.data instanceof Float32Array)) {
      throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: `output ${output.name} did not come back as float32` });
    }
    return { data: result.data, rows: batch.rows, cols: output.dim };
  };

  return Object.freeze({
    path, sha256, loadTimeMs,
    inputName: input.name, outputName: output.name,
    inputShape: input.shape, outputShape: output.shape,
    inputDim: input.dim, outputDim: output.dim,
    predict,
    close: async () => {
      if (closed) return;
      closed = true;
      await session.release();
    },
  });
}

function tensorMeta(meta: ort.InferenceSession.ValueMetadata | undefined, path: string, role: 'input' | 'output'): { name: string; shape: readonly Dim[]; dim: number } {
  if (meta === undefined || !meta.isTensor) throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: `its ${role} is not a tensor` });
  if (meta.type !== 'float32') throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: `its ${role} ${meta.name} is ${meta.type}, not float32` });
  const shape = Object.freeze([...meta.shape]);
  const last = shape[shape.length - 1];
  if (shape.length !== 2 || typeof last !== 'number' || last <= 0) {
    throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: `its ${role} ${meta.name} has shape [${shape.join(', ')}], not [batch, n]` });
  }
  return { name: meta.name, shape, dim: last };
}
