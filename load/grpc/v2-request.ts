/**
 * Open Inference Protocol requests from the rows users already have (`--inputs @rows.jsonl`): each
 * line is one request, either the body a KServe V2 REST endpoint takes
 * (`{"inputs": [{"name", "shape", "datatype", "data"}], "outputs"?, "parameters"?, "id"?}`), or
 * plain numbers: a row `[5.1, 3.5]` or a batch `[[5.1, 3.5], [6.2, 2.9]]`, sent as one FP32 input
 * named `input` of shape [rows, columns]. Pure: JSON in, a validated V2 request out, and the same
 * request as the gRPC `ModelInferRequest` object (typed `contents`) or the REST JSON body.
 */

export type V2Datatype = 'BOOL' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP16' | 'FP32' | 'FP64' | 'BYTES';
const DATATYPES = new Set<string>(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES']);

export type V2Parameter = boolean | number | string;

export interface V2Input { name: string; shape: number[]; datatype: V2Datatype; data: unknown[]; parameters?: Record<string, V2Parameter> }

export interface V2Request {
  id?: string;
  parameters?: Record<string, V2Parameter>;
  inputs: V2Input[];
  outputs?: { name: string; parameters?: Record<string, V2Parameter> }[];
}

/** Which typed field of InferTensorContents carries a datatype (FP16 has none: raw contents only). */
const CONTENTS_FIELD: Record<Exclude<V2Datatype, 'FP16'>, string> = {
  BOOL: 'bool_contents', INT8: 'int_contents', INT16: 'int_contents', INT32: 'int_contents', INT64: 'int64_contents',
  UINT8: 'uint_contents', UINT16: 'uint_contents', UINT32: 'uint_contents', UINT64: 'uint64_contents',
  FP32: 'fp32_contents', FP64: 'fp64_contents', BYTES: 'bytes_contents',
};

const INT_RANGE: Partial<Record<V2Datatype, [number, number]>> = {
  INT8: [-128, 127], INT16: [-32768, 32767], INT32: [-(2 ** 31), 2 ** 31 - 1], INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT8: [0, 255], UINT16: [0, 65535], UINT32: [0, 2 ** 32 - 1], UINT64: [0, Number.MAX_SAFE_INTEGER],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One line's JSON → a V2 request; a message naming the bad field when the line is not one. */
export function parseV2Line(value: unknown): V2Request | string {
  if (Array.isArray(value)) return fromNumbers(value);
  if (!isObject(value)) return 'must be a V2 request object {"inputs": [...]}, a row of numbers, or a list of rows';
  for (const k of Object.keys(value)) if (!['id', 'parameters', 'inputs', 'outputs'].includes(k)) return `unknown key "${k}" (a V2 request has id, parameters, inputs, outputs)`;
  if (!Array.isArray(value.inputs) || value.inputs.length === 0) return '"inputs" must be a non-empty array of tensors';
  const req: V2Request = { inputs: [] };
  if (value.id !== undefined) {
    if (typeof value.id !== 'string') return '"id" must be a string';
    req.id = value.id;
  }
  if (value.parameters !== undefined) {
    const p = parameters(value.parameters, 'parameters');
    if (typeof p === 'string') return p;
    req.parameters = p;
  }
  for (const [i, t] of value.inputs.entries()) {
    const input = tensor(t, `inputs[${i}]`);
    if (typeof input === 'string') return input;
    req.inputs.push(input);
  }
  if (value.outputs !== undefined) {
    if (!Array.isArray(value.outputs)) return '"outputs" must be an array of {"name"}';
    req.outputs = [];
    for (const [i, o] of value.outputs.entries()) {
      if (!isObject(o) || typeof o.name !== 'string' || o.name === '') return `outputs[${i}] must be {"name": "..."}`;
      const out: { name: string; parameters?: Record<string, V2Parameter> } = { name: o.name };
      if (o.parameters !== undefined) {
        const p = parameters(o.parameters, `outputs[${i}].parameters`);
        if (typeof p === 'string') return p;
        out.parameters = p;
      }
      req.outputs.push(out);
    }
  }
  return req;
}

function fromNumbers(value: unknown[]): V2Request | string {
  const rows = value.every((v) => Array.isArray(v)) ? (value as unknown[][]) : [value];
  const cols = rows[0]?.length ?? 0;
  if (rows.length === 0 || cols === 0) return 'a row must hold at least one number';
  const data: number[] = [];
  for (const [r, row] of rows.entries()) {
    if (row.length !== cols) return `row ${r} has ${row.length} values, row 0 has ${cols}`;
    for (const v of row) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `row ${r} holds ${JSON.stringify(v)}, not a finite number`;
      data.push(v);
    }
  }
  return { inputs: [{ name: 'input', shape: [rows.length, cols], datatype: 'FP32', data }] };
}

function tensor(t: unknown, at: string): V2Input | string {
  if (!isObject(t)) return `${at} must be a tensor {"name", "shape", "datatype", "data"}`;
  for (const k of Object.keys(t)) if (!['name', 'shape', 'datatype', 'data', 'parameters'].includes(k)) return `${at}: unknown key "${k}"`;
  if (typeof t.name !== 'string' || t.name === '') return `${at}.name must be a non-empty string`;
  if (typeof t.datatype !== 'string' || !DATATYPES.has(t.datatype)) return `${at}.datatype must be one of ${[...DATATYPES].join(', ')}`;
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) return `${at}.shape must be a list of whole numbers ≥ 0`;
  if (!Array.isArray(t.data)) return `${at}.data must be an array (flat or nested, row-major)`;
  const datatype = t.datatype as V2Datatype;
  if (datatype === 'FP16') return `${at}: FP16 has no typed contents in the gRPC protocol; send FP32`;
  const data = (t.data as unknown[]).flat(Infinity);
  const shape = t.shape as number[];
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) return `${at}: shape [${shape.join(', ')}] holds ${count} values, data has ${data.length}`;
  for (const [j, v] of data.entries()) {
    const bad = badValue(datatype, v);
    if (bad) return `${at}.data[${j}] ${JSON.stringify(v)} ${bad}`;
  }
  const out: V2Input = { name: t.name, shape, datatype, data };
  if (t.parameters !== undefined) {
    const p = parameters(t.parameters, `${at}.parameters`);
    if (typeof p === 'string') return p;
    out.parameters = p;
  }
  return out;
}

function badValue(datatype: V2Datatype, v: unknown): string | undefined {
  if (datatype === 'BOOL') return typeof v === 'boolean' ? undefined : 'is not a boolean';
  if (datatype === 'BYTES') return typeof v === 'string' ? undefined : 'is not a string';
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'is not a finite number';
  const range = INT_RANGE[datatype];
  if (range && !(Number.isInteger(v) && v >= range[0] && v <= range[1])) return `is not a whole number in ${datatype}'s range`;
  return undefined;
}

function parameters(value: unknown, at: string): Record<string, V2Parameter> | string {
  if (!isObject(value)) return `${at} must be an object`;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'boolean' && typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) return `${at}.${k} must be a boolean, a number or a string`;
  }
  return value as Record<string, V2Parameter>;
}

/** The REST body of `POST /v2/models/{m}/infer`. */
export function v2RestBody(req: V2Request): Record<string, unknown> {
  return { ...req };
}

/** The gRPC `ModelInferRequest` object (field names as in the proto), ready for proto-loader's serializer. */
export function v2GrpcMessage(req: V2Request, model: string, version: string | undefined): Record<string, unknown> {
  const msg: Record<string, unknown> = {
    model_name: model,
    inputs: req.inputs.map((t) => ({
      name: t.name,
      datatype: t.datatype,
      shape: t.shape,
      ...(t.parameters ? { parameters: grpcParameters(t.parameters) } : {}),
      contents: { [CONTENTS_FIELD[t.datatype as Exclude<V2Datatype, 'FP16'>]]: t.datatype === 'BYTES' ? t.data.map((s) => Buffer.from(s as string, 'utf8')) : t.data },
    })),
  };
  if (version !== undefined) msg.model_version = version;
  if (req.id !== undefined) msg.id = req.id;
  if (req.parameters) msg.parameters = grpcParameters(req.parameters);
  if (req.outputs) msg.outputs = req.outputs.map((o) => ({ name: o.name, ...(o.parameters ? { parameters: grpcParameters(o.parameters) } : {}) }));
  return msg;
}

function grpcParameters(p: Record<string, V2Parameter>): Record<string, Record<string, V2Parameter>> {
  const out: Record<string, Record<string, V2Parameter>> = {};
  for (const [k, v] of Object.entries(p)) {
    out[k] = typeof v === 'boolean' ? { bool_param: v } : typeof v === 'string' ? { string_param: v } : Number.isInteger(v) ? { int64_param: v } : { double_param: v };
  }
  return out;
}
