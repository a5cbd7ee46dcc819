import { readFileSync } from 'node:fs';
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
 * Reads a reference set: JSONL with one row per line — `{"features": number[]}`, a bare
 * `number[]`, or an object keyed by feature name — or CSV with a header line.
 */
export function readReferenceSet(file: string): ReferenceSet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw monitorErrors.VIGIL_MONITOR_REFERENCE_UNREADABLE({ file, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
  }
  return file.toLowerCase().endsWith('.csv') ? parseCsv(text, file) : parseReferenceRows(parseJsonl(text, file), file);
}

function parseJsonl(text: string, file: string): unknown[] {
  const rows: unknown[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line));
    } catch (err) {
      throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file, reason: `line ${i + 1} is not JSON: ${(err as Error).message}` });
    }
  });
  return rows;
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

function parseCsv(text: string, file: string): ReferenceSet {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== header.length) throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file, reason: `line ${i + 2} has ${cells.length} cells; the header has ${header.length}` });
    return Object.fromEntries(header.map((h, j) => [h, Number(cells[j])]));
  });
  return parseReferenceRows(rows, file);
}
