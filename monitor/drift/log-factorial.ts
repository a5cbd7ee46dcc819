/** log(n!) — a table for small n, Stirling's series (error < 1e-15 relative) above. */
const TABLE_SIZE = 256;
const TABLE = (() => {
  const t = new Float64Array(TABLE_SIZE);
  for (let k = 1; k < TABLE_SIZE; k++) t[k] = (t[k - 1] as number) + Math.log(k);
  return t;
})();

// B_{2j} / (2j (2j-1)) for j = 1..6
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360];

export function logFactorial(n: number): number {
  if (n < TABLE_SIZE) return TABLE[n] as number;
  const x = n + 1; // log Γ(x)
  const r = 1 / x;
  const r2 = r * r;
  let series = 0;
  for (let j = STIRLING.length - 1; j >= 0; j--) series = series * r2 + (STIRLING[j] as number);
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series * r;
}

/** log C(n, k). */
export function logBinomial(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}
