import type { IncomingHttpHeaders } from 'node:http';
import { monitorErrors } from '../errors.ts';
import type { Matrix } from '../state/window.ts';
import type { Codec } from './codec.ts';
import { isRecord, parseJsonBody, type ObservationShape, type Observations } from './json.ts';
import { columnsToMatrix, decodeRawTensor, flattenNumbers, isNumericDatatype, readShape, tensorToMatrix } from './tensor.ts';

export interface TensorCodecOptions {
  /** The input tensor holding the feature matrix (default: the only one; one tensor per feature; else the first). */
  inputTensor?: string;
  /** The output tensor compared with the reference model (default: the only or first one). */
  outputTensor?: string;
}

/** One decoded tensor: values row-major, as the shape says. */
export interface Tensor { name: string; shape: number[]; datatype: string; values: Float64Array; path: string }

const INFER = /^\/v2\/models\/[^/]+(?:\/versions\/[^/]+)?\/infer$/;
export const BINARY_HEADER = 'inference-header-content-length';

/**
 * KServe V2 / Open Inference Protocol REST (KServe, Triton, MLServer): every `/v2/...` path is
 * forwarded; `POST /v2/models/{name}[/versions/{v}]/infer` is observed. Tensors are read from
 * JSON `data` (flat or nested, reshaped by `shape`) or from the binary tensor extension.
 */
export function createKserveV2Codec(opts: TensorCodecOptions = {}): Codec {
  return {
    name: 'kserve-v2',
    route: () => '/v2/models/*/infer',
    forwards: (_method, path) => path === '/v2' || path.startsWith('/v2/'),
    observes: (method, path) => method === 'POST' && INFER.test(path),
    decode(ex, shape) {
      return decodeV2Exchange(ex.requestBody, ex.requestHeaders, ex.responseBody, ex.responseHeaders, shape, opts);
    },
  };
}

/** Request and response bodies of one V2 inference → rows (also used by the CloudEvents source). */
export function decodeV2Exchange(requestBody: Buffer, requestHeaders: IncomingHttpHeaders | Readonly<Record<string, string | string[] | undefined>>, responseBody: Buffer | undefined, responseHeaders: Readonly<Record<string, string | string[] | undefined>> | undefined, shape: ObservationShape, opts: TensorCodecOptions): Observations {
  const inputs = selectInputs(readV2Tensors(requestBody, headerOf(requestHeaders, BINARY_HEADER), 'inputs'), shape.features, opts.inputTensor);
  if (shape.outputDim === undefined || responseBody === undefined || responseBody.length === 0) return { inputs };
  const tensors = readV2Tensors(responseBody, headerOf(responseHeaders ?? {}, BINARY_HEADER), 'outputs');
  const out = pick(tensors, opts.outputTensor, 'outputs');
  if (!out) return { inputs };
  const outputs = tensorToMatrix(out.values, out.shape, shape.outputDim, out.path, 'reference model output');
  if (outputs.rows !== inputs.rows) throw monitorErrors.VIGIL_MONITOR_ROW_COUNT_MISMATCH({ field: out.path, actual: outputs.rows, expected: inputs.rows });
  return { inputs, outputs };
}

function headerOf(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The tensors of a V2 body under `key`. With the binary extension, the first
 * `Inference-Header-Content-Length` bytes are the JSON header and the raw tensors follow, in the
 * order of the tensors that carry `parameters.binary_data_size`.
 */
export function readV2Tensors(body: Buffer, binaryHeaderLength: string | undefined, key: 'inputs' | 'outputs'): Tensor[] {
  let json: Buffer = body;
  let raw: Buffer | undefined;
  if (binaryHeaderLength !== undefined) {
    const n = Number(binaryHeaderLength);
    if (!Number.isSafeInteger(n) || n < 0 || n > body.length) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `header ${BINARY_HEADER}`, rule: `${JSON.stringify(binaryHeaderLength)} must be a byte count within the body (${body.length} bytes)` });
    json = body.subarray(0, n);
    raw = body.subarray(n);
  }
  const parsed = parseJsonBody(json);
  if (!isRecord(parsed)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: '(body)', rule: `must be a V2 inference object with ${key}` });
  const list = parsed[key];
  if (list === undefined && key === 'outputs') return [];
  if (!Array.isArray(list) || list.length === 0) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: key, rule: 'must be a non-empty array of tensors {name, shape, datatype, data}' });
  let offset = 0;
  return list.map((t: unknown, i): Tensor => {
    const path = `${key}[${i}]`;
    if (!isRecord(t) || typeof t.name !== 'string' || typeof t.datatype !== 'string') throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'must be a tensor {name, shape, datatype, data}' });
    const named = `${path} (${t.name})`;
    const shape = readShape(t.shape, `${named}.shape`);
    if (!isNumericDatatype(t.datatype)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `${named}.datatype`, rule: `${t.datatype} is not numeric (BOOL, UINT8…64, INT8…64, FP16, FP32, FP64)` });
    const size = isRecord(t.parameters) ? t.parameters.binary_data_size : undefined;
    let values: Float64Array;
    if (size !== undefined) {
      if (!raw) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `${named}.parameters.binary_data_size`, rule: `is set but the message has no ${BINARY_HEADER} header` });
      if (!Number.isSafeInteger(size) || (size as number) < 0 || offset + (size as number) > raw.length) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `${named}.parameters.binary_data_size`, rule: `${String(size)} bytes do not fit in the ${raw.length - offset} binary bytes left` });
      values = decodeRawTensor(raw.subarray(offset, offset + (size as number)), t.datatype, named);
      offset += size as number;
    } else {
      values = flattenNumbers(t.data, `${named}.data`);
    }
    return { name: t.name, shape, datatype: t.datatype, values, path: named };
  });
}

function pick(tensors: readonly Tensor[], name: string | undefined, key: string): Tensor | undefined {
  if (name === undefined) return tensors[0];
  const found = tensors.find((t) => t.name === name);
  if (!found) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: key, rule: `has no tensor named ${name} (tensors: ${tensors.map((t) => t.name).join(', ')})` });
  return found;
}

/**
 * The feature matrix: the named tensor; else the only one; else one tensor per feature named like
 * the reference set's features (MLServer's `pd` content type: each `[n]` or `[n, 1]`); else the first.
 */
export function selectInputs(tensors: readonly Tensor[], features: readonly string[], inputTensor: string | undefined): Matrix {
  if (inputTensor === undefined && tensors.length > 1 && features.every((f) => tensors.some((t) => t.name === f))) {
    const columns = features.map((f) => {
      const t = tensors.find((x) => x.name === f) as Tensor;
      const width = t.shape.slice(1).reduce((a, b) => a * b, 1);
      if (t.values.length !== t.shape.reduce((a, b) => a * b, 1)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: t.path, rule: `holds ${t.values.length} values but shape [${t.shape.join(', ')}] needs more or fewer` });
      if (width !== 1) throw monitorErrors.VIGIL_MONITOR_WRONG_SHAPE({ path: t.path, actual: width, what: `one-tensor-per-feature input (feature ${f})`, expected: 1 });
      return t.values;
    });
    return columnsToMatrix(columns, 'inputs', features);
  }
  const t = pick(tensors, inputTensor, 'inputs') as Tensor;
  return tensorToMatrix(t.values, t.shape, features.length, t.path, 'reference set');
}
