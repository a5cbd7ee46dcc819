import { monitorErrors } from '../errors.ts';
import type { Matrix } from '../state/window.ts';
import type { Codec } from './codec.ts';
import { isRecord, type ObservationShape, type Observations } from './json.ts';
import type { TensorCodecOptions } from './kserve-v2.ts';
import { columnsToMatrix, flattenNumbers } from './tensor.ts';

const PREDICT = /^\/v1\/models\/[^/:]+(?:\/versions\/\d+|\/labels\/[^/:]+)?:predict$/;
const NAN = '\u0000vigil:NaN';

/**
 * TensorFlow Serving REST: every `/v1/models/...` path is forwarded; `POST
 * /v1/models/{name}[/versions/{v}|/labels/{l}]:predict` is observed. Requests in the row format
 * (`instances`: values, lists, or objects of named inputs) or the columnar one (`inputs`: a tensor
 * or an object of named tensors); answers `predictions` or `outputs`. Bare `NaN`/`Infinity` read.
 */
export function createTfServingCodec(opts: TensorCodecOptions = {}): Codec {
  return {
    name: 'tfserving',
    route: () => '/v1/models/*:predict',
    forwards: (_method, path) => path === '/v1/models' || path.startsWith('/v1/models/'),
    observes: (method, path) => method === 'POST' && PREDICT.test(path),
    decode(ex, shape) {
      return decodeTfExchange(ex.requestBody, ex.responseBody, shape, opts);
    },
  };
}

/** A TF Serving (or KServe V1) request and answer → rows. */
export function decodeTfExchange(requestBody: Buffer, responseBody: Buffer | undefined, shape: ObservationShape, opts: TensorCodecOptions): Observations {
  const req = parseTfJson(requestBody);
  if (!isRecord(req)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: '(body)', rule: 'must be an object with instances or inputs' });
  if ((req.instances === undefined) === (req.inputs === undefined)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: '(body)', rule: 'must hold exactly one of instances (row format) and inputs (columnar format)' });
  const cols = shape.features.length;
  const inputs = req.instances !== undefined
    ? rowsOf(req.instances, 'instances', cols, 'reference set', (row, path) => namedRow(row, path, shape.features, opts.inputTensor))
    : columnar(req.inputs, 'inputs', shape.features, opts.inputTensor);
  if (shape.outputDim === undefined || responseBody === undefined || responseBody.length === 0) return { inputs };
  const res = parseTfJson(responseBody);
  if (!isRecord(res)) return { inputs };
  let outputs: Matrix | undefined;
  const pickOut = (o: Record<string, unknown>, path: string): unknown => pickNamed(o, opts.outputTensor, path);
  if (res.predictions !== undefined) outputs = rowsOf(res.predictions, 'predictions', shape.outputDim, 'reference model output', (row, path) => (isRecord(row) ? pickOut(row, path) : row));
  else if (res.outputs !== undefined) outputs = rowsOf(isRecord(res.outputs) ? pickOut(res.outputs, 'outputs') : res.outputs, 'outputs', shape.outputDim, 'reference model output', (row) => row);
  if (!outputs) return { inputs };
  if (outputs.rows !== inputs.rows) throw monitorErrors.VIGIL_MONITOR_ROW_COUNT_MISMATCH({ field: res.predictions !== undefined ? 'predictions' : 'outputs', actual: outputs.rows, expected: inputs.rows });
  return { inputs, outputs };
}

/** Rows of a list: each row (after `unwrap`) a number or a list flattened to `cols` finite numbers. */
function rowsOf(list: unknown, path: string, cols: number, what: string, unwrap: (row: unknown, path: string) => unknown): Matrix {
  if (!Array.isArray(list) || list.length === 0) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'must be a non-empty list of rows' });
  const data = new Float64Array(list.length * cols);
  list.forEach((raw, i) => {
    const at = `${path}[${i}]`;
    const row = unwrap(raw, at);
    const values = typeof row === 'number' ? [row] : flattenNumbers(row, at);
    if (values.length !== cols) throw monitorErrors.VIGIL_MONITOR_WRONG_SHAPE({ path: at, actual: values.length, what, expected: cols });
    for (let j = 0; j < cols; j++) {
      const v = values[j] as number;
      if (!Number.isFinite(v)) throw monitorErrors.VIGIL_MONITOR_NON_FINITE({ path: `${at}[${j}]`, value: String(v) });
      data[i * cols + j] = v;
    }
  });
  return { data, rows: list.length, cols };
}

/** A row of named inputs: the named tensor, or one value per feature, or its only input. */
function namedRow(row: unknown, path: string, features: readonly string[], tensor: string | undefined): unknown {
  if (!isRecord(row)) return row;
  if (tensor === undefined && features.every((f) => Object.hasOwn(row, f))) {
    return features.map((f) => {
      const v = row[f];
      const flat = typeof v === 'number' ? [v] : flattenNumbers(v, `${path}.${f}`);
      if (flat.length !== 1) throw monitorErrors.VIGIL_MONITOR_WRONG_SHAPE({ path: `${path}.${f}`, actual: flat.length, what: `named input per feature (${f})`, expected: 1 });
      return flat[0];
    });
  }
  return pickNamed(row, tensor, path);
}

function pickNamed(o: Record<string, unknown>, name: string | undefined, path: string): unknown {
  const keys = Object.keys(o);
  if (name !== undefined) {
    if (!Object.hasOwn(o, name)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: `has no input or output named ${name} (names: ${keys.join(', ')})` });
    return o[name];
  }
  if (keys.length === 0) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'names no input or output' });
  return o[keys[0] as string];
}

/** The columnar format: a tensor (batch first), or named tensors (one per feature, or the chosen/only one). */
function columnar(inputs: unknown, path: string, features: readonly string[], tensor: string | undefined): Matrix {
  if (isRecord(inputs) && tensor === undefined && Object.keys(inputs).length > 1 && features.every((f) => Object.hasOwn(inputs, f))) {
    return columnsToMatrix(features.map((f) => flattenNumbers(inputs[f], `${path}.${f}`)), path, features);
  }
  const t = isRecord(inputs) ? pickNamed(inputs, tensor, path) : inputs;
  return rowsOf(t, path, features.length, 'reference set', (row) => row);
}

/**
 * JSON as TF Serving writes it: bare `NaN`, `Infinity` and `-Infinity` tokens outside strings are
 * read as those numbers (they are then refused as non-finite, naming where they were).
 */
export function parseTfJson(buf: Buffer): unknown {
  const text = buf.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw monitorErrors.VIGIL_MONITOR_BAD_JSON({ reason: (err as Error).message });
  }
  let out = '';
  let inString = false;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x4e && text.startsWith('NaN', i)) {
      out += `${text.slice(last, i)}"\\u0000vigil:NaN"`;
      last = i + 3;
      i += 2;
    } else if (c === 0x49 && text.startsWith('Infinity', i)) {
      out += `${text.slice(last, i)}1e999`;
      last = i + 8;
      i += 7;
    }
  }
  out += text.slice(last);
  try {
    return JSON.parse(out, (_key, value: unknown) => (value === NAN ? Number.NaN : value));
  } catch (err) {
    throw monitorErrors.VIGIL_MONITOR_BAD_JSON({ reason: (err as Error).message });
  }
}
