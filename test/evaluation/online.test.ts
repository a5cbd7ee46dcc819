import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleFeatures } from '../../fixtures/datasets/distribution.ts';
import { prepareOnlineStream } from '../../monitor/drift/online-family.ts';
import { heldOutMmd2, resampledKs } from '../../monitor/drift/online-calibration.ts';
import { OnlineDetector } from '../../monitor/drift/online.ts';
import { ksStatisticReference } from '../helpers/ks-reference.ts';
import { rowsOf, tripleLoopMmd2 } from '../drift/naive-mmd.ts';
import { normalMatrix } from '../drift/data.ts';
import { matrixOf } from './family-sim.ts';

const names = (d: number): string[] => Array.from({ length: d }, (_, j) => `f${j}`);

test('simulated statistics: held-out MMD² (window vs the rest) and resampled KS (window vs a resample of the reference) equal plain computations', () => {
  const ref = normalMatrix(60, 2, 3);
  const st = prepareOnlineStream('inputs', ref, names(2), { sigma: 1.3 });
  const window = [3, 10, 11, 25, 40, 41, 59];
  const rest = Array.from({ length: 60 }, (_, i) => i).filter((i) => !window.includes(i));
  const rows = rowsOf(ref);
  for (let c = 0; c < 2; c++) {
    const pos = Int32Array.from(window, (r) => st.positionOf[c]![r]!).sort();
    // Multiplicities: rest rows once, row 0 three times, window rows once (tied with themselves).
    const mult = new Array<number>(60).fill(1);
    mult[0] = 3; mult[1] = 0; mult[2] = 0;
    const order = Array.from({ length: 60 }, (_, r) => r).sort((a, b) => st.positionOf[c]![a]! - st.positionOf[c]![b]!);
    const cum = new Int32Array(61);
    order.forEach((r, p) => { cum[p + 1] = cum[p]! + mult[r]!; });
    const resample = order.flatMap((r) => new Array<number>(mult[r]!).fill(rows[r]![c]!));
    assert.ok(Math.abs(resampledKs(pos, cum, 60, window.length) - ksStatisticReference(window.map((r) => rows[r]![c]!), resample)) < 1e-12);
  }
  const mmd = heldOutMmd2(st, Int32Array.from(window));
  const want = tripleLoopMmd2(rest.map((r) => rows[r]!), window.map((r) => rows[r]!), [1.3]);
  assert.ok(Math.abs(mmd - want) < 1e-5, `${mmd} vs ${want}`);
});

test('batches of any size score the same windows: one call with 230 rows = rows one at a time', () => {
  const ref = normalMatrix(300, 3, 1);
  const opts = { ert: 400, window: 40, step: 20, simulations: 50, seed: 2 };
  const a = new OnlineDetector([prepareOnlineStream('inputs', ref, names(3), {})], opts);
  const b = new OnlineDetector([prepareOnlineStream('inputs', ref, names(3), {})], opts);
  const cur = normalMatrix(230, 3, 9, 1, 0.4);
  const all = a.push([cur]);
  const one = Array.from({ length: 230 }, (_, r) => b.push([{ data: cur.data.subarray(r * 3, (r + 1) * 3), rows: 1, cols: 3 }])).flat();
  assert.equal(all.length, Math.floor((230 - 40) / 20) + 1);
  assert.deepEqual(one.map((s) => [s.samples, s.statistic]), all.map((s) => [s.samples, s.statistic]));
  assert.equal(a.state.threshold, b.state.threshold);
});

// Run length on no-drift traffic: 10 reference sets from the fixture distribution (4 of its
// features, 1,000 rows), 20 independent live streams each (fresh draws, batches of 20 rows);
// the mean number of samples to the first alarm must be the configured ERT within ±25 %.
test('online detector: mean run length on no-drift streams is the ERT (500) within ±25 % over 200 streams', () => {
  const D = 4, ERT = 500;
  const cut = (rows: number[][]): ReturnType<typeof matrixOf> => matrixOf(rows.map((r) => r.slice(0, D)));
  const runLengths: number[] = [];
  for (let s = 0; s < 10; s++) {
    const det = new OnlineDetector([prepareOnlineStream('inputs', cut(sampleFeatures(1000, 100 + s)), names(D), {})], { ert: ERT, window: 50, step: 10, simulations: 500, seed: s });
    for (let q = 0; q < 20; q++) {
      det.reset();
      let seed = 1_000_000 + s * 10_000 + q * 500;
      let rl = 0;
      while (rl === 0 && det.state.samples < 50 * ERT) {
        const m = cut(sampleFeatures(200, seed++));
        for (let r = 0; r < 200 && rl === 0; r += 20) {
          const hit = det.push([{ data: m.data.subarray(r * D, (r + 20) * D), rows: 20, cols: D }]).find((x) => x.crossed);
          if (hit) rl = hit.samples;
        }
      }
      runLengths.push(rl || det.state.samples);
    }
  }
  const mean = runLengths.reduce((a, b) => a + b, 0) / runLengths.length;
  assert.equal(runLengths.length, 200);
  assert.ok(Math.abs(mean / ERT - 1) <= 0.25, `mean run length ${mean} for ERT ${ERT}`);
});

test('online detector: a +0.5 sd shift on two features raises the alarm within a few windows; the alarm holds one window', () => {
  const ref = matrixOf(sampleFeatures(1000, 7));
  const det = new OnlineDetector([prepareOnlineStream('inputs', ref, names(16), {})], { ert: 10_000, window: 100, step: 50, simulations: 200, seed: 1 });
  const shifted = matrixOf(sampleFeatures(1000, 8, { meanShift: { features: [3, 7], by: 0.5 } }));
  const steps = det.push([shifted]);
  const first = steps.find((s) => s.crossed);
  assert.ok(first && first.samples <= 400, `first alarm at ${first?.samples}`);
  assert.equal(det.state.alarm, true);
  assert.ok(det.state.alarms >= 1);
  assert.ok(['f3', 'f7'].includes(first.decidedBy.feature ?? '') || first.decidedBy.test === 'mmd', JSON.stringify(first.decidedBy));
});

test('threshold quantile: read off the simulated maxima when enough lie beyond it, extrapolated by an exponential tail when not', async () => {
  const { upperQuantile } = await import('../../monitor/drift/online-calibration.ts');
  // Maxima with an exact exponential tail: P(M > x) = e^{-x}; quantiles at 1/e² ... 1e-4.
  const r = 2000;
  const sorted = Float64Array.from({ length: r }, (_, i) => -Math.log(1 - (i + 0.5) / r));
  for (const tail of [0.1, 0.01, 1e-3, 1e-4]) {
    const got = upperQuantile(sorted, tail);
    assert.ok(Math.abs(got - -Math.log(tail)) < 0.15 * -Math.log(tail), `tail ${tail}: ${got} vs ${-Math.log(tail)}`);
  }
});
