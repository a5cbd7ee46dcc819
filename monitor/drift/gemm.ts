import type { Matrix } from './matrix.ts';

/** Squared Euclidean norm of every row. */
export function rowSquaredNorms(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  const { data, cols } = m;
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let c = r * cols, end = c + cols; c < end; c++) s += (data[c] as number) * (data[c] as number);
    out[r] = s;
  }
  return out;
}

/**
 * out[(i - i0) * (j1 - j0) + (j - j0)] = <x_i, y_j> for a tile of rows of x and rows of y
 * (the x·yᵀ block of a GEMM where both operands are row-major, so every dot product reads two
 * contiguous rows). A 2×4 register block computes eight dot products per pass over k: each
 * loaded element feeds two to four multiply-adds and the eight accumulators are independent
 * (measured ~30 % faster than 2×2 in V8; wider blocks spill registers).
 */
export function dotTile(x: Matrix, i0: number, i1: number, y: Matrix, j0: number, j1: number, out: Float64Array): void {
  const d = x.cols;
  const xd = x.data;
  const yd = y.data;
  const width = j1 - j0;
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const xa = i * d, xb = xa + d;
    const oa = (i - i0) * width - j0, ob = oa + width;
    let j = j0;
    for (; j + 3 < j1; j += 4) {
      const y0 = j * d, y1 = y0 + d, y2 = y1 + d, y3 = y2 + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0; k < d; k++) {
        const a0 = xd[xa + k] as number, a1 = xd[xb + k] as number;
        const b0 = yd[y0 + k] as number, b1 = yd[y1 + k] as number, b2 = yd[y2 + k] as number, b3 = yd[y3 + k] as number;
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
      }
      out[oa + j] = s00; out[oa + j + 1] = s01; out[oa + j + 2] = s02; out[oa + j + 3] = s03;
      out[ob + j] = s10; out[ob + j + 1] = s11; out[ob + j + 2] = s12; out[ob + j + 3] = s13;
    }
    for (; j < j1; j++) { out[oa + j] = dot(xd, xa, yd, j * d, d); out[ob + j] = dot(xd, xb, yd, j * d, d); }
  }
  if (i < i1) {
    const oa = (i - i0) * width - j0;
    for (let j = j0; j < j1; j++) out[oa + j] = dot(xd, i * d, yd, j * d, d);
  }
}

function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += (a[ao + k] as number) * (b[bo + k] as number);
  return s;
}

/** Tile sizes: a y tile of 128 rows × 64 features (64 KiB) stays in L2 while x rows stream. */
export const TILE_ROWS = 32;
export const TILE_COLS = 128;

/**
 * Visits squared distances ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j (clamped at 0 against rounding) tile by
 * tile. With `upper` (x === y) only pairs j > i are visited. The callback gets the tile origin,
 * its width and the distances of row i at `tile[(i - i0) * width + (j - j0)]`.
 */
export function forEachDistanceTile(
  x: Matrix, xNorms: Float64Array, y: Matrix, yNorms: Float64Array, upper: boolean,
  visit: (i0: number, i1: number, j0: number, j1: number, tile: Float64Array) => void,
): void {
  const tile = new Float64Array(TILE_ROWS * TILE_COLS);
  for (let i0 = 0; i0 < x.rows; i0 += TILE_ROWS) {
    const i1 = Math.min(i0 + TILE_ROWS, x.rows);
    for (let j0 = upper ? i0 : 0; j0 < y.rows; j0 += TILE_COLS) {
      const j1 = Math.min(j0 + TILE_COLS, y.rows);
      dotTile(x, i0, i1, y, j0, j1, tile);
      const width = j1 - j0;
      for (let i = i0; i < i1; i++) {
        const base = (i - i0) * width - j0;
        const ni = xNorms[i] as number;
        for (let j = j0; j < j1; j++) {
          const v = ni + (yNorms[j] as number) - 2 * (tile[base + j] as number);
          tile[base + j] = v > 0 ? v : 0;
        }
      }
      visit(i0, i1, j0, j1, tile);
    }
  }
}
