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
 * contiguous rows). Four independent accumulators let V8 keep the multiply-adds in flight.
 */
export function dotTile(x: Matrix, i0: number, i1: number, y: Matrix, j0: number, j1: number, out: Float64Array): void {
  const d = x.cols;
  const xd = x.data;
  const yd = y.data;
  const width = j1 - j0;
  const d4 = d - (d % 4);
  for (let i = i0; i < i1; i++) {
    const xo = i * d;
    const oo = (i - i0) * width - j0;
    for (let j = j0; j < j1; j++) {
      const yo = j * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let k = 0;
      for (; k < d4; k += 4) {
        s0 += (xd[xo + k] as number) * (yd[yo + k] as number);
        s1 += (xd[xo + k + 1] as number) * (yd[yo + k + 1] as number);
        s2 += (xd[xo + k + 2] as number) * (yd[yo + k + 2] as number);
        s3 += (xd[xo + k + 3] as number) * (yd[yo + k + 3] as number);
      }
      for (; k < d; k++) s0 += (xd[xo + k] as number) * (yd[yo + k] as number);
      out[oo + j] = s0 + s1 + s2 + s3;
    }
  }
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
