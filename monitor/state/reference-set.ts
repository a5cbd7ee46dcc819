import { isVigilError } from '../../common/errors.ts';
import { readTable, type Table } from '../datasets/index.ts';
import { monitorErrors } from '../errors.ts';
import { isRecord } from '../protocols/json.ts';
import type { Matrix } from './window.ts';

/** The reference set the live window is compared against. */
export interface ReferenceSet {
  readonly source: string;
  readonly features: readonly string[];
  readonly inputs: Matrix;
}

/** Fewest reference rows a drift test can use. */
export const MIN_REFERENCE_ROWS = 10;

/**
 * Reads a reference set with the datasets reader the drift CLI uses (monitor/datasets): JSONL with
 * one row per line — `{"features": number[]}`, a bare `number[]`, or an object keyed by feature
 * name — or CSV with a header line (RFC 4180 quoting, BOM, CRLF). Every error names `file:line`.
 */
export function readReferenceSet(file: string): ReferenceSet {
  let table: Table;
  try {
    table = readTable(file);
  } catch (err) {
    if (!isVigilError(err)) throw err;
    const line = Number(err.params.line ?? 0);
    const reason = String(err.params.reason ?? err.message);
    if (line === 0) throw monitorErrors.VIGIL_MONITOR_REFERENCE_UNREADABLE({ file, reason: reason.replace(/^cannot be read: /, '') });
    throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file, reason: `line ${line}: ${reason}` });
  }
  return tableToReference(table);
}

/** Every cell must be a number: an empty cell is a missing value, which the monitor does not accept yet. */
function tableToReference(table: Table): ReferenceSet {
  const { file, columns, rows, lines } = table;
  const invalid = (reason: string) => monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file, reason });
  if (rows.length < MIN_REFERENCE_ROWS) throw invalid(`${rows.length} rows; at least ${MIN_REFERENCE_ROWS} are needed`);
  if (columns.length === 0) throw invalid('rows have no features');
  const cols = columns.length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    row.forEach((cell, j) => {
      if (typeof cell !== 'number') {
        const what = cell === null ? 'is empty (a missing value; the monitor needs a number in every reference cell)' : `is ${JSON.stringify(cell)}, not a number`;
        throw invalid(`line ${lines[i]}, feature ${columns[j]} ${what}`);
      }
      data[i * cols + j] = cell;
    });
  });
  return Object.freeze({ source: file, features: Object.freeze([...columns]), inputs: { data, rows: rows.length, cols } });
}

/** Rows already parsed from JSON (a file, or the body of PUT /v1/reference). */
export function parseReferenceRows(rows: readonly unknown[], source: string, expectFeatures?: readonly string[]): ReferenceSet {
  if (rows.length < MIN_REFERENCE_ROWS) throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: source, reason: `${rows.length} rows; at least ${MIN_REFERENCE_ROWS} are needed` });
  const first = rows[0];
  const vector = (row: unknown): unknown => (isRecord(row) && Array.isArray(row.features) ? row.features : row);
  let features: string[];
  if (Array.isArray(vector(first))) {
    const width = (vector(first) as unknown[]).length;
    features = expectFeatures ? [...expectFeatures] : Array.from({ length: width }, (_, j) => `f${j}`);
  } else if (isRecord(first)) {
    features = Object.keys(first);
  } else {
    throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: source, reason: 'row 1 is neither an array, {"features": [...]} nor an object of numbers' });
  }
  if (features.length === 0) throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: source, reason: 'rows have no features' });
  if (expectFeatures && features.join(',') !== expectFeatures.join(',')) {
    throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: source, reason: `features ${features.join(',')} differ from the current reference's ${expectFeatures.join(',')}` });
  }
  const cols = features.length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    const v = vector(row);
    const values = Array.isArray(v) ? v : isRecord(v) ? features.map((f) => v[f]) : undefined;
    if (!values || values.length !== cols) throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: source, reason: `row ${i + 1} does not have the ${cols} features of row 1` });
    values.forEach((x, j) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: source, reason: `row ${i + 1}, feature ${features[j]}: ${JSON.stringify(x)} is not a finite number` });
      data[i * cols + j] = x;
    });
  });
  return Object.freeze({ source, features: Object.freeze(features), inputs: { data, rows: rows.length, cols } });
}
