/**
 * The family-wise drift decision (issue 11), run from `npm run bench:monitor` (ONLY=family) or
 * directly: `node --import tsx bench/family.bench.ts [time|power]`.
 *  time:  per-evaluation time at window 1,000, reference 1,000, d = 16, both streams (classifier
 *         outputs), 100 permutations: today's rule (KS + MMD, OR) vs the Holm family vs the min-p
 *         family (shared permutation plan + permutation KS), alternating rounds in one process.
 *  power: per-evaluation detection rate on the fixture drift kinds (mean shift, variance,
 *         correlation; fixture strength and a weaker one), window 500 vs reference 1,000 with the
 *         classifier, each kind POWER_REPS independent reference/window draws: before (OR of the
 *         tests at alpha) and after (Holm, min-p).
 *  online: the online detector at its defaults (ERT 10,000, window 100, step 50, 200 simulations)
 *         on reference 1,000 × 16 + classifier outputs: calibration time, update cost per
 *         100 samples, and the detection delay (samples from the change to the alarm; median over
 *         ONLINE_STREAMS streams) for a +0.5 sd shift on two features (f3, f7).
 */
import { DATASETS } from '../fixtures/datasets/datasets.ts';
import type { Drift } from '../fixtures/datasets/distribution.ts';
import { WindowEvaluator } from '../monitor/evaluation/evaluate.ts';
import type { DriftSettings } from '../monitor/evaluation/types.ts';
import { SETTINGS, classifierPredict, matrixOf, orVerdict, runWindows, simStream, slice } from '../test/evaluation/family-sim.ts';
import { sampleFeatures } from '../fixtures/datasets/distribution.ts';
import { prepareOnlineStream } from '../monitor/drift/online-family.ts';
import { OnlineDetector } from '../monitor/drift/online.ts';

const POWER_REPS = Number(process.env.POWER_REPS ?? 40);

type Rule = 'today' | 'holm' | 'minp';

/** Today's evaluation had no family step: Holm adds only a pass over the p-values, so it stands for it. */
const settingsOf = (rule: Rule): DriftSettings => ({ ...SETTINGS, family: rule === 'minp' ? 'minp' : 'holm' });

export async function familyTime(): Promise<void> {
  const clf = await classifierPredict();
  const sim = await simStream(77, 1000, 1000, clf.predict);
  await clf.close();
  const evaluators = Object.fromEntries((['today', 'holm', 'minp'] as Rule[]).map((r) => [r, new WindowEvaluator({
    type: 'reference', features: Array.from({ length: 16 }, (_, j) => `f${j}`), outputNames: ['y0', 'y1', 'y2'],
    inputs: sim.reference, ...(sim.refOutputs ? { outputs: sim.refOutputs } : {}), settings: settingsOf(r),
  })])) as Record<Rule, WindowEvaluator>;
  const msg = { type: 'evaluate' as const, id: 1, seq: 1, inputs: sim.stream, ...(sim.outputs ? { outputs: sim.outputs } : {}) };
  const times: Record<Rule, number[]> = { today: [], holm: [], minp: [] };
  // CPU time of this (single-threaded) evaluation as well as wall time: on a shared machine the
  // wall clock also counts the time other processes held the core.
  const cpu: Record<Rule, number[]> = { today: [], holm: [], minp: [] };
  for (const r of ['today', 'holm', 'minp'] as Rule[]) evaluators[r].evaluate(msg); // warm-up (JIT, plan, memo)
  const rounds = Number(process.env.FAMILY_ROUNDS ?? 7);
  for (let round = 0; round < rounds; round++) {
    const order: Rule[] = round % 2 === 0 ? ['today', 'holm', 'minp'] : ['minp', 'holm', 'today'];
    for (const r of order) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      evaluators[r].evaluate(msg);
      const c = process.cpuUsage(c0);
      times[r].push(performance.now() - t0);
      cpu[r].push((c.user + c.system) / 1000);
    }
  }
  const med = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;
  console.log(`\n## Family decision: evaluation time (window 1,000, reference 1,000, d = 16 + 3 classifier outputs, 100 permutations, ${rounds} alternating rounds, median)`);
  console.log('| rule | wall ms per evaluation | vs today | CPU ms per evaluation | vs today |\n| --- | ---: | ---: | ---: | ---: |');
  for (const r of ['today', 'holm', 'minp'] as Rule[]) {
    console.log(`| ${r} | ${med(times[r]).toFixed(1)} | ${(med(times[r]) / med(times.today)).toFixed(2)}× | ${med(cpu[r]).toFixed(1)} | ${(med(cpu[r]) / med(cpu.today)).toFixed(2)}× |`);
  }
}

const KINDS: { name: string; drift: Drift }[] = [
  ...DATASETS.filter((d) => d.file.startsWith('drift-')).map((d) => ({ name: `${d.file} (fixture strength)`, drift: d.drift })),
  { name: 'mean shift +0.2 sd on f3, f7, f12', drift: { meanShift: { features: [3, 7, 12], by: 0.2 } } },
  { name: 'sd × 1.25 on f5, f9', drift: { scale: { features: [5, 9], by: 1.25 } } },
  { name: 'corr(f10, f11) 0.8 → 0.6', drift: { pairCorrelation: 0.6 } },
  { name: 'no drift', drift: {} },
];

export async function familyPower(): Promise<void> {
  const clf = await classifierPredict();
  console.log(`\n## Family decision: per-evaluation power (window 500, reference 1,000, classifier outputs, alpha 0.05, ${POWER_REPS} independent draws per row)`);
  console.log('| drift | before: OR of the tests | after: Holm | after: min-p (default) |\n| --- | ---: | ---: | ---: |');
  for (const kind of KINDS) {
    let or = 0, holm = 0, minp = 0;
    for (let rep = 0; rep < POWER_REPS; rep++) {
      const sim = await simStream(90_000 + rep * 13, 1000, 500, clf.predict, kind.drift);
      const [m] = runWindows(sim, settingsOf('minp'), 500, 500);
      const [h] = runWindows(sim, settingsOf('holm'), 500, 500);
      if (m && orVerdict(m)) or++;
      if (h?.drift) holm++;
      if (m?.drift) minp++;
    }
    const f = (k: number): string => (k / POWER_REPS).toFixed(2);
    console.log(`| ${kind.name} | ${f(or)} | ${f(holm)} | ${f(minp)} |`);
  }
  await clf.close();
}

export async function onlineBench(): Promise<void> {
  const streams = Number(process.env.ONLINE_STREAMS ?? 30);
  const clf = await classifierPredict();
  const names = Array.from({ length: 16 }, (_, j) => `f${j}`);
  const ref = await simStream(4242, 1000, 1, clf.predict);
  const detector = (): OnlineDetector => new OnlineDetector([
    prepareOnlineStream('inputs', ref.reference, names, {}),
    prepareOnlineStream('outputs', ref.refOutputs as NonNullable<typeof ref.refOutputs>, ['y0', 'y1', 'y2'], {}),
  ], { ert: 10_000, window: 100, step: 50, simulations: 200, seed: 1 });
  const calib: number[] = [];
  for (let i = 0; i < 3; i++) calib.push(detector().calibration.durationMs);
  const det = detector();
  // Update cost: 100-sample batches of clean traffic (two scored windows each).
  const clean = await simStream(99, 1, 5000, clf.predict);
  const t0 = performance.now();
  for (let at = 0; at + 100 <= 5000; at += 100) det.push([slice(clean.stream, at, at + 100), slice(clean.outputs as NonNullable<typeof clean.outputs>, at, at + 100)]);
  const perBatch = (performance.now() - t0) / 50;
  // Detection delay: 500 clean samples, then +0.5 sd on f3 and f7, in batches of 50.
  const delays: number[] = [];
  let early = 0;
  for (let s = 0; s < streams; s++) {
    det.reset();
    const before = matrixOf(sampleFeatures(500, 10_000 + s));
    const after = matrixOf(sampleFeatures(5000, 20_000 + s, { meanShift: { features: [3, 7], by: 0.5 } }));
    const feed = async (m: typeof before): Promise<number | undefined> => {
      const out = await clf.predict(m);
      for (let at = 0; at < m.rows; at += 50) {
        const hit = det.push([slice(m, at, at + 50), slice(out, at, at + 50)]).find((x) => x.crossed);
        if (hit) return hit.samples;
      }
      return undefined;
    };
    if (await feed(before)) { early++; continue; }
    const at = await feed(after);
    delays.push(at === undefined ? Infinity : at - 500);
  }
  await clf.close();
  delays.sort((a, b) => a - b);
  const q = (p: number): number => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] as number;
  console.log('\n## Online detector (reference 1,000 × 16 inputs + 3 classifier outputs; ERT 10,000, window 100, step 50, 200 simulations)');
  console.log('| figure | value |\n| --- | ---: |');
  console.log(`| calibration time (3 runs) | ${calib.map((c) => `${(c / 1000).toFixed(2)} s`).join(', ')} |`);
  console.log(`| update cost per 100 samples (2 scored windows) | ${perBatch.toFixed(2)} ms |`);
  console.log(`| threshold (−log10 p) | ${det.state.threshold.toFixed(3)} |`);
  console.log(`| detection delay, +0.5 sd on f3 and f7: median / P90 (${delays.length} streams; ${early} alarmed before the change) | ${q(0.5)} / ${q(0.9)} samples |`);
}

const which = process.argv[2];
if (which === 'time') await familyTime();
else if (which === 'power') await familyPower();
else if (which === 'online') await onlineBench();
