import { createRng, type Matrix } from '../../monitor/drift/index.ts';

/** Seeded standard normals by Box–Muller on the engine's RNG (any seeded source would do). */
export function normalSource(seed: number): () => number {
  const rng = createRng(seed);
  const u = (): number => (rng.nextUint32() + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** rows × cols standard normals; `shift` is added to column `shiftCol`. */
export function normalMatrix(rows: number, cols: number, seed: number, shiftCol = -1, shift = 0): Matrix {
  const next = normalSource(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = next() + (i % cols === shiftCol ? shift : 0);
  return { data, rows, cols };
}
