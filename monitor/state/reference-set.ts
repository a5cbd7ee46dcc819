import { isVigilError } from '../../common/errors.ts';
import { readTable, type Table } from '../datasets/index.ts';
import { monitorErrors } from '../errors.ts';
import { isRecord } from '../protocols/json.ts';
import type { Matrix } from './window.ts';

/** The reference set the live window is compared against. */
export interface ReferenceSet {
  readonly source: string;
  readonly features: readonly string[];
  /**
   * Numbers; NaN is a missing value. A categorical feature's cells are category codes: the index
   * of the value in its vocabulary.
   */
  readonly inputs: Matrix;
  /** Categorical features by name: their vocabulary (the reference's distinct values, sorted; code = index). */
  readonly vocabularies?: Readonly<Record<string, readonly string[]>>;
}

/** Declared feature types (config `features`), by name. */
export type FeatureTypes = Readonly<Record<string, 'numeric' | 'categorical'>>;

/** Fewest reference rows a drift test can use. */
export const MIN_REFERENCE_ROWS = 10;

/**
 * Reads a reference set with the datasets reader the drift CLI uses (monitor/datasets): JSONL with
 * one row per line — `{"features": [...]}`, a bare array, or an object keyed by feature name — or
 * CSV with a header line (RFC 4180 quoting, BOM, CRLF). Every error names `file:line`.
 * An empty CSV cell or a JSON null is a missing value (NaN); a column holding a string (or declared
 * categorical in `types`) is categorical.
 */
export function readReferenceSet(file: string, types: FeatureTypes = {}): ReferenceSet {
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
  const { columns, rows, lines } = table;
  if (rows.length < MIN_REFERENCE_ROWS) throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file, reason: `${rows.length} rows; at least ${MIN_REFERENCE_ROWS} are needed` });
  if (columns.length === 0) throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file, reason: 'rows have no features' });
  return buildReference(file, columns, rows, (i) => `line ${lines[i]}`, types);
}

/**
 * The reference from cells: numbers stay, null is NaN (missing), a categorical column's values
 * become codes into its sorted vocabulary. A string in a column declared numeric is refused.
 */
export function buildReference(source: string, features: readonly string[], rows: readonly (readonly unknown[])[], where: (row: number) => string, types: FeatureTypes = {}, base?: ReferenceSet['vocabularies']): ReferenceSet {
  const invalid = (reason: string) => monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: source, reason });
  for (const name of Object.keys(types)) if (!features.includes(name)) throw invalid(`config features names ${JSON.stringify(name)}, which is not a column (columns: ${features.join(', ')})`);
  const cols = features.length;
  const categorical = features.map((name, j) => types[name] === 'categorical' || (types[name] === undefined && rows.some((r) => typeof r[j] === 'string')));
  const vocabularies: Record<string, string[]> = {};
  features.forEach((name, j) => {
    if (!categorical[j]) return;
    const values = new Set<string>();
    for (const r of rows) if (r[j] !== null && r[j] !== undefined) values.add(String(r[j]));
    // A replacement reference keeps the codes of the one in force (the window holds them): its new values come after.
    const kept = base?.[name] ?? [];
    vocabularies[name] = [...kept, ...[...values].filter((v) => !kept.includes(v)).sort()];
  });
  const codes = features.map((name) => (vocabularies[name] ? new Map(vocabularies[name].map((v, k) => [v, k])) : undefined));
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    for (let j = 0; j < cols; j++) {
      const cell = row[j];
      const code = codes[j];
      let x: number;
      if (cell === null || cell === undefined) x = NaN;
      else if (code) x = code.get(String(cell)) as number;
      else if (typeof cell === 'number' && Number.isFinite(cell)) x = cell;
      else throw invalid(`${where(i)}, feature ${features[j]}: ${JSON.stringify(cell)} is not a finite number (the feature is declared numeric in config features)`);
      data[i * cols + j] = x;
    }
  });
  return Object.freeze({
    source,
    features: Object.freeze([...features]),
    inputs: { data, rows: rows.length, cols },
    ...(Object.keys(vocabularies).length > 0 ? { vocabularies: Object.freeze(vocabularies) } : {}),
  });
}

/** Rows already parsed from JSON (a file, or the body of PUT /v1/reference). */
export function parseReferenceRows(rows: readonly unknown[], source: string, expectFeatures?: readonly string[], types: FeatureTypes = {}, base?: ReferenceSet['vocabularies']): ReferenceSet {
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
  const cells = rows.map((row, i) => {
    const v = vector(row);
    const values = Array.isArray(v) ? v : isRecord(v) ? features.map((f) => v[f]) : undefined;
    if (!values || values.length !== cols) throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: source, reason: `row ${i + 1} does not have the ${cols} features of row 1` });
    values.forEach((x, j) => {
      if (x === null || typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))) return;
      throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: source, reason: `row ${i + 1}, feature ${features[j]}: ${JSON.stringify(x)} is not a finite number, a string (categorical) or null (missing)` });
    });
    return values;
  });
  return buildReference(source, features, cells, (i) => `row ${i + 1}`, types, base);
}

/** Config `features` as a name → type record. */
export function featureTypes(list: readonly { name: string; type: 'numeric' | 'categorical' }[]): FeatureTypes {
  return Object.fromEntries(list.map((f) => [f.name, f.type]));
}

/** The types of a reference in force (a replacement keeps them: the window's columns mean the same). */
export function typesOf(reference: ReferenceSet): FeatureTypes {
  return Object.fromEntries(reference.features.map((f) => [f, reference.vocabularies?.[f] ? 'categorical' : 'numeric']));
}
