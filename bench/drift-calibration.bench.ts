/**
 * `npm run bench:drift -- --calibration` (or this file directly) — calibration and power of the
 * drift tests, seeded, 10 standard-normal features, alpha = 0.05 (issue 4):
 *   1. no shift, n = 200 per side, 500 trials: false-positive rate of KS-Bonferroni, KS-FDR and
 *      MMD (B = 100) — MMD should be 0.05 ± 0.02; KS with Bonferroni is expected below alpha;
 *   2. +0.5σ mean shift on one feature, n = 200, 200 trials: power (goal ≥ 0.9);
 *   3. correlation 0 → 0.5 between two features, n = 1,000, 400 trials: MMD power (goal ≥ 0.7)
 *      while KS stays near alpha — the reason both tests exist.
 * Peer for the ratio line: the same trials' wall time per trial.
 */
import { createMmdTest, ksPerFeature, type Matrix, type MmdOptions } from '../monitor/drift/index.ts';
import { createMmdTestOrt } from '../monitor/drift/mmd-ort.ts';
import { mmdBackend, mmdEvaluations } from '../monitor/drift-cli/run.ts';
import { parseSigma } from '../monitor/drift-cli/options.ts';
import { normalMatrix, normalSource } from '../test/drift/data.ts';

const ALPHA = 0.05;
/**
 * VIGIL_CALIBRATION_SIGMA fixes the MMD bandwidth(s) as `--sigma` does: =2 or =1,2,4 (absolute),
 * =0.5x or =0.5x,1x,2x (multiples of the median heuristic); default: the median heuristic (1x).
 */
const BANDWIDTH = parseSigma(process.env.VIGIL_CALIBRATION_SIGMA);
/** VIGIL_CALIBRATION_AGGREGATE=minp combines several bandwidths by min-p (default: kernel mean). */
const AGGREGATE = process.env.VIGIL_CALIBRATION_AGGREGATE === 'minp' ? 'minp' : 'mean';
const FEATURES = 10;

/** Current sample with corr(f0, f1) = rho: f1 = rho f0 + sqrt(1 - rho²) z. */
function correlated(rows: number, seed: number, rho: number): Matrix {
  const m = normalMatrix(rows, FEATURES, seed);
  const z = normalSource(seed + 7777);
  for (let r = 0; r < rows; r++) {
    const f0 = m.data[r * FEATURES] as number;
    m.data[r * FEATURES + 1] = rho * f0 + Math.sqrt(1 - rho * rho) * z();
  }
  return m;
}

interface Rates { ksBonferroni: number; ksFdr: number; mmd: number; trials: number; msPerTrial: number }

/** The MMD verdict as `vigil drift test` reaches it (backend chosen by pooled size, as --mmd-backend auto). */
async function mmdDetects(ref: Matrix, cur: Matrix, seed: number): Promise<boolean> {
  const opts: MmdOptions = { ...(BANDWIDTH.sigma ? { sigma: BANDWIDTH.sigma } : {}), ...(BANDWIDTH.sigmaScale ? { sigmaScale: BANDWIDTH.sigmaScale } : {}), aggregate: AGGREGATE, permutations: 100, seed, alpha: ALPHA };
  if (mmdBackend('auto', ref.rows + cur.rows, mmdEvaluations(opts)) === 'onnxruntime') return (await (await createMmdTestOrt(ref, opts)).test(cur)).detected;
  return createMmdTest(ref, opts).test(cur).detected;
}

async function trials(count: number, make: (t: number) => { ref: Matrix; cur: Matrix }, mmd: boolean): Promise<Rates> {
  let kb = 0, kf = 0, mm = 0;
  const t0 = performance.now();
  for (let t = 0; t < count; t++) {
    const { ref, cur } = make(t);
    if (ksPerFeature(ref, cur, { alpha: ALPHA, correction: 'bonferroni' }).detected) kb++;
    if (ksPerFeature(ref, cur, { alpha: ALPHA, correction: 'fdr' }).detected) kf++;
    if (mmd && await mmdDetects(ref, cur, t)) mm++;
  }
  return { ksBonferroni: kb / count, ksFdr: kf / count, mmd: mmd ? mm / count : Number.NaN, trials: count, msPerTrial: (performance.now() - t0) / count };
}

console.log(`MMD bandwidth: ${process.env.VIGIL_CALIBRATION_SIGMA ?? 'median heuristic (1x)'}, combined by ${AGGREGATE}`);

function report(name: string, r: Rates): void {
  const se = (p: number): string => `±${(1.96 * Math.sqrt((p * (1 - p)) / r.trials)).toFixed(3)}`;
  console.log(`${name} (${r.trials} trials, ${r.msPerTrial.toFixed(0)} ms/trial): KS-Bonferroni ${r.ksBonferroni.toFixed(3)} ${se(r.ksBonferroni)}, KS-FDR ${r.ksFdr.toFixed(3)} ${se(r.ksFdr)}, MMD ${r.mmd.toFixed(3)} ${se(r.mmd)}`);
}

// VIGIL_CALIBRATION_SCALE multiplies the trial counts; VIGIL_CALIBRATION_CASES=1,3 picks cases.
const scale = Number(process.env.VIGIL_CALIBRATION_SCALE ?? '1');
const cases = new Set((process.env.VIGIL_CALIBRATION_CASES ?? '1,2,3').split(','));
const n = (x: number): number => Math.max(20, Math.round(x * scale));

if (cases.has('1')) report('no shift, n=200: rejection rate (false positives)', await trials(n(500), (t) => ({ ref: normalMatrix(200, FEATURES, 1e6 + 2 * t), cur: normalMatrix(200, FEATURES, 1e6 + 2 * t + 1) }), true));
if (cases.has('2')) report('+0.5 sigma shift on f3, n=200: power', await trials(n(200), (t) => ({ ref: normalMatrix(200, FEATURES, 2e6 + 2 * t), cur: normalMatrix(200, FEATURES, 2e6 + 2 * t + 1, 3, 0.5) }), true));
if (cases.has('3')) report('corr(f0,f1) 0 -> 0.5, n=1000: power', await trials(n(400), (t) => ({ ref: normalMatrix(1000, FEATURES, 3e6 + 2 * t), cur: correlated(1000, 3e6 + 2 * t + 1, 0.5) }), true));
