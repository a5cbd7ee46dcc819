/**
 * A small seeded PRNG (xoshiro128**, Blackman & Vigna) so permutation p-values are reproducible
 * from `--seed`. 32-bit state words keep it exact in JavaScript integer arithmetic.
 */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform integer in [0, bound). */
  nextInt(bound: number): number;
}

export function createRng(seed: number): Rng {
  // splitmix32 expands the seed into four non-zero state words.
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  if ((a | b | c | d) === 0) a = 1;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d, 11);
    a >>>= 0; b >>>= 0; c >>>= 0;
    return result;
  };
  // Rejection sampling (Lemire-free, simple) keeps nextInt exactly uniform.
  const nextInt = (bound: number): number => {
    const limit = 0x100000000 - (0x100000000 % bound);
    for (;;) {
      const x = nextUint32();
      if (x < limit) return x % bound;
    }
  };
  return { nextUint32, nextInt };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Draws the "current" side of one permutation of `total` pooled samples: a uniformly random
 * subset of `size` indices (partial Fisher–Yates over `scratch`, which must hold 0..total-1 in
 * any order and is left permuted). Returns the indices in ascending order.
 */
export function drawSubset(rng: Rng, scratch: Int32Array, size: number, out: Int32Array): Int32Array {
  const total = scratch.length;
  for (let i = 0; i < size; i++) {
    const j = i + rng.nextInt(total - i);
    const t = scratch[i] as number;
    scratch[i] = scratch[j] as number;
    scratch[j] = t;
  }
  out.set(scratch.subarray(0, size));
  return out.subarray(0, size).sort();
}
