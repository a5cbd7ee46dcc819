import { monitorErrors } from '../errors.ts';
import type { Matrix } from '../state/window.ts';
import type { Codec } from './codec.ts';

/** What a request may carry about the model's inputs and outputs. */
export interface ObservationShape {
  /** Feature names of the reference set, in column order. */
  readonly features: readonly string[];
  /** Width of the reference model's output, or undefined when no model is loaded. */
  readonly outputDim: number | undefined;
  /** The model's label output (int64 or string), when it has one: deployed labels can be compared. */
  readonly label?: { readonly name: string; readonly elemType: 'int64' | 'string' } | undefined;
  /** Per feature: the code of a categorical feature's value (unseen values get new codes); undefined for numeric ones. */
  readonly encode?: readonly (((value: string) => number) | undefined)[];
  /** `test`: a null input is a missing value (NaN in the window); otherwise (`reject`, the default) it is refused. */
  readonly missing?: 'test' | 'reject';
}

/** How input cells are read: which features are categorical, whether null is a missing value. */
export type InputCells = Pick<ObservationShape, 'encode' | 'missing'>;

export interface Observations {
  inputs: Matrix;
  /** What the deployed endpoint answered for each input row, when given. */
  outputs?: Matrix;
  /** The label the deployed endpoint answered for each input row (classifiers with a label output). */
  labels?: (number | string)[];
  ids?: string[];
  /**
   * Categorical values per row, by feature name (e.g. an LLM answer's `finish_reason`). Counted in
   * metrics; not part of the drift windows until the engine has categorical features.
   */
  categorical?: Record<string, string[]>;
}

const FIELDS = ['inputs', 'outputs', 'labels', 'ids'];

/**
 * Validates a `POST /v1/observations` body into matrices. Pure: throws a coded 400 naming the
 * first problem (unknown field, wrong shape, non-finite number, unknown feature) and never
 * touches any state, so a rejected request cannot corrupt a window.
 */
export function parseObservations(body: unknown, shape: ObservationShape): Observations {
  if (!isRecord(body)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: '(body)', rule: `must be a JSON object {"inputs": number[][], "outputs"?: number[][], "ids"?: string[]}, got ${describe(body)}` });
  for (const key of Object.keys(body)) {
    if (!FIELDS.includes(key)) throw monitorErrors.VIGIL_MONITOR_UNKNOWN_FIELD({ field: key, allowed: FIELDS.join(', ') });
  }
  const inputs = parseInputRows(body.inputs, 'inputs', shape.features, shape);
  const out: Observations = { inputs };
  if (body.outputs !== undefined) {
    if (shape.outputDim === undefined) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: 'outputs', rule: 'outputs can only be compared when the monitor runs a reference model (--model)' });
    out.outputs = parseNumberRows(body.outputs, 'outputs', shape.outputDim, 'reference model output');
    if (out.outputs.rows !== inputs.rows) throw monitorErrors.VIGIL_MONITOR_ROW_COUNT_MISMATCH({ field: 'outputs', actual: out.outputs.rows, expected: inputs.rows });
  }
  if (body.labels !== undefined) out.labels = parseLabels(body.labels, shape, inputs.rows);
  if (body.ids !== undefined) {
    if (!Array.isArray(body.ids) || body.ids.some((id) => typeof id !== 'string' || id.length > 256)) {
      throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: 'ids', rule: 'must be an array of strings (at most 256 characters each)' });
    }
    if (body.ids.length !== inputs.rows) throw monitorErrors.VIGIL_MONITOR_ROW_COUNT_MISMATCH({ field: 'ids', actual: body.ids.length, expected: inputs.rows });
    out.ids = body.ids as string[];
  }
  return out;
}

/** Deployed labels: one per input row, whole numbers for an int64 label output, strings for a string one. */
function parseLabels(value: unknown, shape: ObservationShape, rows: number): (number | string)[] {
  const label = shape.label;
  if (!label) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: 'labels', rule: 'labels can only be compared when the reference model has an int64 or string label output' });
  if (!Array.isArray(value)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: 'labels', rule: `must be an array with one label per input row, got ${describe(value)}` });
  if (value.length !== rows) throw monitorErrors.VIGIL_MONITOR_ROW_COUNT_MISMATCH({ field: 'labels', actual: value.length, expected: rows });
  value.forEach((v, i) => {
    const ok = label.elemType === 'int64' ? typeof v === 'number' && Number.isSafeInteger(v) : typeof v === 'string';
    if (!ok) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `labels[${i}]`, rule: `must be ${label.elemType === 'int64' ? 'a whole number' : 'a string'} (the model's label output ${label.name} is ${label.elemType}), got ${describe(v)}` });
  });
  return value as (number | string)[];
}

/**
 * Input rows: arrays in feature order, or objects keyed by feature name. With `cells`, a
 * categorical feature's value (a string, or a number taken as its text) becomes its code, and
 * null is a missing value (NaN) when `cells.missing` is `test`.
 */
export function parseInputRows(value: unknown, path: string, features: readonly string[], cells: InputCells = {}): Matrix {
  const rows = requireRows(value, path);
  const cols = features.length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    const rowPath = `${path}[${i}]`;
    if (Array.isArray(row)) {
      if (row.length !== cols) throw monitorErrors.VIGIL_MONITOR_WRONG_SHAPE({ path: rowPath, actual: row.length, what: 'reference set', expected: cols });
      for (let j = 0; j < cols; j++) data[i * cols + j] = inputCell(row[j], `${rowPath}[${j}]`, j, cells);
    } else if (isRecord(row)) {
      for (const key of Object.keys(row)) {
        if (!features.includes(key)) throw monitorErrors.VIGIL_MONITOR_UNKNOWN_FEATURE({ path: rowPath, feature: key, features: features.join(', ') });
      }
      features.forEach((name, j) => {
        if (!Object.hasOwn(row, name)) throw monitorErrors.VIGIL_MONITOR_MISSING_FEATURE({ path: rowPath, feature: name });
        data[i * cols + j] = inputCell(row[name], `${rowPath}.${name}`, j, cells);
      });
    } else {
      throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: rowPath, rule: `must be an array of ${cols} numbers or an object keyed by feature name, got ${describe(row)}` });
    }
  });
  return { data, rows: rows.length, cols };
}

/** Rows of exactly `cols` finite numbers. */
export function parseNumberRows(value: unknown, path: string, cols: number, what: string): Matrix {
  const rows = requireRows(value, path);
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: `${path}[${i}]`, rule: `must be an array of ${cols} numbers, got ${describe(row)}` });
    fillRow(row, `${path}[${i}]`, cols, what, data, i * cols);
  });
  return { data, rows: rows.length, cols };
}

function requireRows(value: unknown, path: string): unknown[] {
  if (value === undefined) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'is required' });
  if (!Array.isArray(value)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: `must be an array of rows, got ${describe(value)}` });
  if (value.length === 0) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'must hold at least one row' });
  return value;
}

function fillRow(row: unknown[], path: string, cols: number, what: string, data: Float64Array, offset: number): void {
  if (row.length !== cols) throw monitorErrors.VIGIL_MONITOR_WRONG_SHAPE({ path, actual: row.length, what, expected: cols });
  for (let j = 0; j < cols; j++) data[offset + j] = finite(row[j], `${path}[${j}]`);
}

/** One input cell: a finite number, a categorical feature's value (its code), or null as a missing value (NaN). */
function inputCell(v: unknown, path: string, j: number, cells: InputCells): number {
  if (v === null && cells.missing === 'test') return NaN;
  const encode = cells.encode?.[j];
  if (encode) {
    if (typeof v === 'string') return encode(v);
    if (typeof v === 'number' && Number.isFinite(v)) return encode(String(v));
    if (typeof v === 'boolean') return encode(String(v));
    throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: `must be a category (a string) of this categorical feature${cells.missing === 'test' ? ' or null (missing)' : ''}, got ${describe(v)}` });
  }
  if (v === null) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'must be a finite number, got null (a missing value; set missing: test to accept missing values)' });
  return finite(v, path);
}

function finite(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'number' || (typeof v === 'string' && /^[-+]?(nan|inf(inity)?)$/i.test(v.trim()))) {
    throw monitorErrors.VIGIL_MONITOR_NON_FINITE({ path, value: String(v) });
  }
  throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: `must be a finite number, got ${describe(v)}` });
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 32 ? `${v.slice(0, 32)}…` : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

export type PathSegment = string | number;

/**
 * Parses a JSON path: `$` (the body root), dotted keys and `[i]` indices, e.g. `inputs`,
 * `data.instances`, `$[0]`, `$.batch[1].x`. Throws a RangeError naming the rule.
 */
export function parseJsonPath(path: string): PathSegment[] {
  const rest = path.startsWith('$') ? path.slice(1) : path.startsWith('[') ? path : `.${path}`;
  const step = /\.([A-Za-z_][\w-]*)|\[(\d{1,9})\]/y;
  const out: PathSegment[] = [];
  while (step.lastIndex < rest.length) {
    const m = step.exec(rest);
    if (!m) throw new RangeError(`path "${path}" is not a path such as inputs, data.instances, $ (the body root), $[0] or items[2].x`);
    out.push(m[2] !== undefined ? Number(m[2]) : m[1] as string);
  }
  return out;
}

/** Reads a parsed path from a parsed JSON body; undefined when any step is missing. */
export function getPath(body: unknown, path: string | readonly PathSegment[]): unknown {
  let cur: unknown = body;
  for (const key of typeof path === 'string' ? parseJsonPath(path) : path) {
    if (typeof key === 'number') {
      if (!Array.isArray(cur) || key >= cur.length) return undefined;
      cur = cur[key];
    } else {
      if (!isRecord(cur) || !Object.hasOwn(cur, key)) return undefined;
      cur = cur[key];
    }
  }
  return cur;
}

/** Parses a body as JSON; a coded 400 when it is not. */
export function parseJsonBody(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw monitorErrors.VIGIL_MONITOR_BAD_JSON({ reason: (err as Error).message });
  }
}

export interface JsonCodecOptions {
  /** The one route forwarded and observed (`--proxy-path`). */
  path: string;
  /** Where the inputs are in the request body; where the outputs are in the response body. */
  inputs: string;
  outputs: string;
}

/**
 * vigil's own format at one route: input rows at a JSON path of the request (arrays in feature
 * order or objects keyed by feature name), output rows at a path of the response. Any method.
 */
export function createJsonCodec(opts: JsonCodecOptions): Codec {
  const inputs = parseJsonPath(opts.inputs);
  const outputs = parseJsonPath(opts.outputs);
  return {
    name: 'json',
    route: () => opts.path,
    forwards: (_method, path) => path === opts.path,
    observes: (_method, path) => path === opts.path,
    decode(ex, shape) {
      const rows = parseInputRows(getPath(parseJsonBody(ex.requestBody), inputs), opts.inputs, shape.features, shape);
      if (shape.outputDim === undefined) return { inputs: rows };
      const rawOut = getPath(parseJsonBody(ex.responseBody), outputs);
      if (rawOut === undefined) return { inputs: rows };
      const out = parseNumberRows(rawOut, opts.outputs, shape.outputDim, 'reference model output');
      if (out.rows !== rows.rows) throw monitorErrors.VIGIL_MONITOR_ROW_COUNT_MISMATCH({ field: opts.outputs, actual: out.rows, expected: rows.rows });
      return { inputs: rows, outputs: out };
    },
  };
}
