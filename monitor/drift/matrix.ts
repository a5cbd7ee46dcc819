import { driftErrors } from './errors.ts';

/** A dense row-major matrix: `data[r * cols + c]`. Rows are samples, columns are features. */
export interface Matrix { data: Float64Array; rows: number; cols: number }

/** Builds a Matrix from rows of numbers (all rows the same length). */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => data.set(row, r * cols));
  return { data, rows: rows.length, cols };
}

/** Column `c` copied into its own array. */
export function column(m: Matrix, c: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) out[r] = m.data[r * m.cols + c] as number;
  return out;
}

/** Throws a coded error when a matrix holds NaN or ±Infinity. */
export function assertFinite(m: Matrix, what: string): void {
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i] as number;
    if (!Number.isFinite(v)) throw driftErrors.VIGIL_DRIFT_NOT_FINITE({ what, value: String(v), row: Math.floor(i / m.cols), column: i % m.cols });
  }
}

export function assertSameColumns(ref: Matrix, cur: Matrix): void {
  if (ref.cols !== cur.cols) throw driftErrors.VIGIL_DRIFT_SHAPE_MISMATCH({ refCols: ref.cols, curCols: cur.cols });
}

/**
 * The matrix transposed into column-major order (column c at [c * rows, (c + 1) * rows)), in
 * blocks of 64 rows so each block of the row-major source is read from cache once — reading
 * 64 strided columns one at a time would stream the whole matrix 64 times.
 */
export function columnMajor(m: Matrix): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows * cols);
  const BLOCK = 64;
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = Math.min(r0 + BLOCK, rows);
    for (let c = 0; c < cols; c++) {
      const base = c * rows;
      for (let r = r0; r < r1; r++) out[base + r] = data[r * cols + c] as number;
    }
  }
  return out;
}
