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
 */
import { DATASETS } from '../fixtures/datasets/datasets.ts';
import type { Drift } from '../fixtures/datasets/distribution.ts';
import { WindowEvaluator } from '../monitor/evaluation/evaluate.ts';
import type { DriftSettings } from '../monitor/evaluation/types.ts';
import { SETTINGS, classifierPredict, orVerdict, runWindows, simStream } from '../test/evaluation/family-sim.ts';

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
  for (const r of ['today', 'holm', 'minp'] as Rule[]) evaluators[r].evaluate(msg); // warm-up (JIT, plan, memo)
  const rounds = Number(process.env.FAMILY_ROUNDS ?? 7);
  for (let round = 0; round < rounds; round++) {
    const order: Rule[] = round % 2 === 0 ? ['today', 'holm', 'minp'] : ['minp', 'holm', 'today'];
    for (const r of order) {
      const t0 = performance.now();
      evaluators[r].evaluate(msg);
      times[r].push(performance.now() - t0);
    }
  }
  const med = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;
  console.log(`\n## Family decision: evaluation time (window 1,000, reference 1,000, d = 16 + 3 classifier outputs, 100 permutations, ${rounds} alternating rounds, median)`);
  console.log('| rule | ms per evaluation | vs today |\n| --- | ---: | ---: |');
  for (const r of ['today', 'holm', 'minp'] as Rule[]) console.log(`| ${r} | ${med(times[r]).toFixed(1)} | ${(med(times[r]) / med(times.today)).toFixed(2)}× |`);
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

const which = process.argv[2];
if (which === 'time') await familyTime();
else if (which === 'power') await familyPower();
