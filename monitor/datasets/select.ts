import { driftErrors } from '../drift/errors.ts';
import type { CategoricalColumn } from '../drift/drift-test.ts';
import type { Matrix } from '../drift/matrix.ts';
import type { Table } from './table.ts';

export interface Selection { numeric: string[]; categorical: string[] }

/**
 * Resolves `--features` and `--categorical` (names or 0-based indices) against the reference's
 * columns. Without `--features`, every column not named categorical is a numeric feature.
 */
export function resolveSelection(ref: Table, features: string[] | undefined, categorical: string[]): Selection {
  const resolve = (spec: string): string => {
    if (ref.columns.includes(spec)) return spec;
    if (/^\d+$/.test(spec) && Number(spec) < ref.columns.length) return ref.columns[Number(spec)] as string;
    throw driftErrors.VIGIL_DRIFT_UNKNOWN_FEATURE({ feature: spec, file: ref.file, columns: ref.columns.join(', ') });
  };
  const cat = categorical.map(resolve);
  const numeric = features ? features.map(resolve).filter((c) => !cat.includes(c)) : ref.columns.filter((c) => !cat.includes(c));
  return { numeric, categorical: cat };
}

/** Numeric columns as a Matrix; a missing or non-numeric cell is a coded error naming file:line. */
export function numericMatrix(table: Table, names: string[]): Matrix {
  const idx = names.map((name) => columnIndex(table, name));
  const data = new Float64Array(table.rows.length * names.length);
  table.rows.forEach((row, r) => {
    idx.forEach((ci, k) => {
      const v = row[ci];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file: table.file, line: table.lines[r], reason: `column ${names[k]}: ${JSON.stringify(v)} is not a number (use --categorical for text columns)` });
      }
      data[r * names.length + k] = v;
    });
  });
  return { data, rows: table.rows.length, cols: names.length };
}

/** A categorical column of both tables, cells as strings (null → "(missing)"). */
export function categoricalColumn(ref: Table, cur: Table, name: string): CategoricalColumn {
  const values = (t: Table): string[] => {
    const ci = columnIndex(t, name);
    return t.rows.map((row) => { const v = row[ci]; return v === null || v === undefined ? '(missing)' : String(v); });
  };
  return { name, reference: values(ref), current: values(cur) };
}

function columnIndex(table: Table, name: string): number {
  const i = table.columns.indexOf(name);
  if (i < 0) throw driftErrors.VIGIL_DRIFT_UNKNOWN_FEATURE({ feature: name, file: table.file, columns: table.columns.join(', ') });
  return i;
}
