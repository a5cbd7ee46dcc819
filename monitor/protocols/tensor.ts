import { monitorErrors } from '../errors.ts';
import type { Matrix } from '../state/window.ts';

/** Numeric datatypes of the Open Inference Protocol and their sizes in bytes (BYTES is not numeric). */
const SIZES: Readonly<Record<string, number>> = {
  BOOL: 1, UINT8: 1, UINT16: 2, UINT32: 4, UINT64: 8, INT8: 1, INT16: 2, INT32: 4, INT64: 8, FP16: 2, FP32: 4, FP64: 8,
};

export function isNumericDatatype(datatype: string): boolean {
  return Object.hasOwn(SIZES, datatype);
}

/** IEEE 754 half precision → number (subnormals, ±Infinity and NaN included). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Raw little-endian tensor bytes (the binary tensor extension) → numbers. `path` names the tensor in
 * errors. INT64/UINT64 values beyond 2^53 lose precision, as any JSON number would.
 */
export function decodeRawTensor(bytes: Uint8Array, datatype: string, path: string): Float64Array {
  const size = SIZES[datatype];
  if (size === undefined) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: `datatype ${datatype} is not numeric (BOOL, UINT8…64, INT8…64, FP16, FP32, FP64)` });
  if (bytes.byteLength % size !== 0) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: `${bytes.byteLength} bytes is not a whole number of ${datatype} values (${size} bytes each)` });
  const n = bytes.byteLength / size;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * size;
    switch (datatype) {
      case 'BOOL': out[i] = view.getUint8(at) ? 1 : 0; break;
      case 'UINT8': out[i] = view.getUint8(at); break;
      case 'INT8': out[i] = view.getInt8(at); break;
      case 'UINT16': out[i] = view.getUint16(at, true); break;
      case 'INT16': out[i] = view.getInt16(at, true); break;
      case 'UINT32': out[i] = view.getUint32(at, true); break;
      case 'INT32': out[i] = view.getInt32(at, true); break;
      case 'UINT64': out[i] = Number(view.getBigUint64(at, true)); break;
      case 'INT64': out[i] = Number(view.getBigInt64(at, true)); break;
      case 'FP16': out[i] = halfToNumber(view.getUint16(at, true)); break;
      case 'FP32': out[i] = view.getFloat32(at, true); break;
      default: out[i] = view.getFloat64(at, true);
    }
  }
  return out;
}

/** Flattens `data` (flat or nested to any depth, row-major) into numbers; booleans count 0/1. */
export function flattenNumbers(data: unknown, path: string): Float64Array {
  if (!Array.isArray(data)) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'must be an array (flat or nested) of numbers' });
  const out: number[] = [];
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], `${at}[${i}]`);
    } else if (typeof v === 'number') out.push(v);
    else if (typeof v === 'boolean') out.push(v ? 1 : 0);
    else throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: at, rule: `must be a number, got ${v === null ? 'null' : typeof v}` });
  };
  walk(data, path);
  return Float64Array.from(out);
}

/** Checks a shape: non-negative integers (a −1 wildcard is not allowed in data). */
export function readShape(shape: unknown, path: string): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
    throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'must be an array of non-negative integers' });
  }
  return shape as number[];
}

/**
 * Values of a tensor whose shape covers the whole batch → a matrix of `cols` columns: rows are the
 * first dimension, the rest flattened (`[n]` with one column, `[n, d]`, `[n, 1, d]`...).
 */
export function tensorToMatrix(values: Float64Array, shape: readonly number[], cols: number, path: string, what: string): Matrix {
  const total = shape.reduce((a, b) => a * b, 1);
  if (values.length !== total) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: `holds ${values.length} values but shape [${shape.join(', ')}] needs ${total}` });
  if (shape.length === 0) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'a scalar is not a batch: the shape needs a batch dimension' });
  const rows = shape[0] as number;
  const width = rows === 0 ? 0 : total / rows;
  if (rows === 0) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'must hold at least one row' });
  if (width !== cols) throw monitorErrors.VIGIL_MONITOR_WRONG_SHAPE({ path, actual: width, what, expected: cols });
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw monitorErrors.VIGIL_MONITOR_NON_FINITE({ path: `${path}[${i}]`, value: String(values[i]) });
  }
  return { data: values, rows, cols };
}

/** Columns (each one value per row) side by side → a matrix. */
export function columnsToMatrix(columns: readonly Float64Array[], path: string, names: readonly string[]): Matrix {
  const rows = columns[0]?.length ?? 0;
  const cols = columns.length;
  const data = new Float64Array(rows * cols);
  columns.forEach((col, j) => {
    if (col.length !== rows) throw monitorErrors.VIGIL_MONITOR_ROW_COUNT_MISMATCH({ field: `${path} ${names[j]}`, actual: col.length, expected: rows });
    for (let i = 0; i < rows; i++) {
      const v = col[i] as number;
      if (!Number.isFinite(v)) throw monitorErrors.VIGIL_MONITOR_NON_FINITE({ path: `${path} ${names[j]}[${i}]`, value: String(v) });
      data[i * cols + j] = v;
    }
  });
  if (rows === 0) throw monitorErrors.VIGIL_MONITOR_BAD_BODY({ path, rule: 'must hold at least one row' });
  return { data, rows, cols };
}
