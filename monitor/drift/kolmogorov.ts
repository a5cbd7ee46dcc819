import { logBinomial } from './log-factorial.ts';

/**
 * Survival function of the one-sample two-sided Kolmogorov statistic D_n, P(D_n >= x) — what
 * scipy.stats.kstwo.sf(x, n) returns, which ks_2samp uses for its asymptotic p-value with
 * n = round(n1 n2 / (n1 + n2)). Follows the same regimes (Simard & L'Ecuyer 2011): Ruben–Gambino
 * closed forms at the extremes, 2 × Smirnov's one-sided tail where it is accurate, the
 * Durbin matrix (Marsaglia–Tsang–Wang) exactly, and the Pelz–Good series for large n.
 * Where scipy uses Pomeranz's recursion (n <= 140) this uses the Durbin matrix: both are exact.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!(n > 0) || !Number.isInteger(n)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    const cdf = Math.exp(logNFactorialOverNPowN(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * Math.pow(1 - x, n));
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 4) return clip(1 - durbinCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  if (nx2 >= 18) return 0;
  const cdf = n <= 100000 && n * Math.pow(x, 1.5) <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}

function logNFactorialOverNPowN(n: number): number {
  // log(n!) - n log n, with the n log n removed analytically to avoid cancellation.
  const r = 1 / n;
  const r2 = r * r;
  const series = r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 / 1188))));
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + series;
}

/**
 * Smirnov's one-sided tail P(D+_n >= x), exactly, by the Birnbaum–Tingey sum
 *   x Σ_{j=0}^{⌊n(1-x)⌋} C(n,j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1),
 * each term evaluated in log space (all terms are positive: no cancellation).
 */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const last = Math.floor(n * (1 - x));
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    const a = 1 - x - j / n;
    if (a <= 0 && n - j > 0) continue;
    const logTerm = logBinomial(n, j) + (n - j) * Math.log(a) + (j - 1) * Math.log(x + j / n);
    sum += Math.exp(logTerm);
  }
  return x * sum;
}

const E128 = 2 ** 128;

/**
 * P(D_n < x) by Durbin's matrix formula in the form of Marsaglia, Tsang & Wang (2003):
 * with x = (k - h)/n, the (k,k) element of H^n times n!/n^n; H^n by repeated squaring with
 * power-of-two rescaling to keep the exponent range.
 */
export function durbinCdf(n: number, x: number): number {
  if (x >= 1) return 1;
  const nd = n * x;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - Math.pow(h, j)) * fac;
  }
  v[m - 1] = (1 + Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m)) * fac;
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1] as number;
  for (let r = 0; r < m; r++) H[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] as number;

  let power: Float64Array | undefined = undefined;
  let powerExp = 0;
  let base: Float64Array = H;
  let baseExp = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = power ? matmul(power, base, m) : base.slice();
      powerExp += baseExp;
    }
    base = matmul(base, base, m);
    baseExp *= 2;
    if (Math.abs(base[(k - 1) * m + (k - 1)] as number) > E128) {
      for (let i = 0; i < base.length; i++) base[i] = (base[i] as number) / E128;
      baseExp += 128;
    }
  }
  let p = (power as Float64Array)[(k - 1) * m + (k - 1)] as number;
  let expnt = powerExp;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < 1 / E128) { p *= E128; expnt -= 128; }
  }
  return ldexp(p, expnt);
}

/** p · 2^e without overflowing the intermediate power of two. */
function ldexp(p: number, e: number): number {
  let out = p;
  let rest = e;
  while (rest > 512) { out *= 2 ** 512; rest -= 512; }
  while (rest < -512) { out *= 2 ** -512; rest += 512; }
  return out * 2 ** rest;
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l] as number;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] = (out[i * m + j] as number) + ail * (b[l * m + j] as number);
    }
  }
  return out;
}

/**
 * Pelz & Good's (1976) approximation of P(D_n <= x): Li-Chien/Korolyuk's expansion
 * K0 + K1/√n + K2/n + K3/n^1.5 in z = x√n, each K written with Jacobi theta sums that converge
 * fast for small z. Used by scipy for n > 140 in the middle range; replicated term for term.
 */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const PI2 = Math.PI ** 2, PI4 = Math.PI ** 4, PI6 = Math.PI ** 6;
  const z = Math.sqrt(n) * x;
  const z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2, k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4, k2b = ((2 * z4 - 5 * z2) * PI2) / 4, k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64, k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4, k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const qp = Math.pow(q, 8 * k);
    const c = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = (K[i] as number) * qp + (c[i] as number);
  }
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  const denom = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] as number) * q * SQRT2PI) / (denom[i] as number);
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0, k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = Math.pow(q, k2);
    k2extra += k2 * qp;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k2 * qp;
  }
  K[2] = (K[2] as number) + (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] = (K[3] as number) + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (K[i] as number) / Math.pow(n, i / 2);
  return sum;
}
