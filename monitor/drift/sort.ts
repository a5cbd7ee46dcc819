/**
 * Ascending sort of finite float64 values by LSD radix sort on their IEEE-754 bit patterns
 * (8 passes of 8 bits, passes where every value shares the byte are skipped). About 10x faster
 * than Float64Array.prototype.sort at n = 10,000, which dominates KS over many features.
 * Sorts in place and returns the array. Values must be finite (checked by the callers).
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 256) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  // Map to unsigned keys that order like the numbers: negative → flip all bits; positive → flip the sign bit.
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1] as number;
    if (hi & 0x80000000) { words[2 * i + 1] = ~hi >>> 0; words[2 * i] = ~(words[2 * i] as number) >>> 0; }
    else words[2 * i + 1] = (hi | 0x80000000) >>> 0;
  }
  let src: Uint32Array = words;
  let dst: Uint32Array = new Uint32Array(n * 2);
  const counts = new Uint32Array(256);
  for (let pass = 0; pass < 8; pass++) {
    const word = pass < 4 ? 0 : 1;
    const shift = (pass % 4) * 8;
    counts.fill(0);
    for (let i = 0; i < n; i++) { const b = ((src[2 * i + word] as number) >>> shift) & 0xff; counts[b] = (counts[b] as number) + 1; }
    if (counts[((src[word] as number) >>> shift) & 0xff] === n) continue; // one bucket: nothing to do
    let sum = 0;
    for (let b = 0; b < 256; b++) { const c = counts[b] as number; counts[b] = sum; sum += c; }
    for (let i = 0; i < n; i++) {
      const lo = src[2 * i] as number;
      const hi = src[2 * i + 1] as number;
      const bucket = ((word === 0 ? lo : hi) >>> shift) & 0xff;
      const at = counts[bucket] as number;
      counts[bucket] = at + 1;
      dst[2 * at] = lo;
      dst[2 * at + 1] = hi;
    }
    const t = src; src = dst; dst = t;
  }
  if (src !== words) words.set(src);
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1] as number;
    if (hi & 0x80000000) words[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    else { words[2 * i + 1] = ~hi >>> 0; words[2 * i] = ~(words[2 * i] as number) >>> 0; }
  }
  return values;
}
