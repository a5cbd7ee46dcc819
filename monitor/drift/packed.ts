/**
 * Strict upper triangle of a symmetric n×n matrix (the kernel's diagonal is never used by the
 * unbiased MMD² estimator), stored row by row: row i holds columns i+1..n-1.
 */
export interface PackedSymmetric { n: number; data: Float32Array; rowStart: Float64Array }

export function createPacked(n: number): PackedSymmetric {
  const rowStart = new Float64Array(n);
  // rowStart[i] - i - 1 + j is the index of (i, j), j > i.
  for (let i = 0; i < n; i++) rowStart[i] = (i * (2 * n - i - 1)) / 2 - i - 1;
  return { n, data: new Float32Array((n * (n - 1)) / 2), rowStart };
}
