/**
 * Missing values and categorical features in the monitor's evaluation (issue 11, items 3 and 4):
 * `node --import tsx bench/columns.bench.ts`. Per-evaluation time (min-p family, 100 permutations,
 * window 500 vs reference 1,000, inputs only) in alternating rounds in one process:
 *  complete:    16 numeric fixture features, no missing value (today's path);
 *  missing 1 %: the same with 1 % of every cell missing (16 observed-values KS + 16 missing-rate tests on the plan);
 *  categorical: 14 numeric + 2 categorical features of 50 long-tailed categories (chi-square on the plan).
 */
import { SETTINGS } from '../test/evaluation/family-sim.ts';
import { categoricalStream, evaluateWindows, missingStream } from '../test/evaluation/columns-sim.ts';
import { loadavg } from 'node:os';
import type { Matrix } from '../monitor/drift/matrix.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const cases = {
  complete: () => missingStream(41000, 1000, 500 + 100 * 3, 16, () => 0),
  'missing 1 %': () => missingStream(41000, 1000, 500 + 100 * 3, 16),
  categorical: () => categoricalStream(41000, 1000, 500 + 100 * 3, 14, 2, 50),
};
const times: Record<string, number[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, make] of Object.entries(cases)) {
    const s = make() as { reference: Matrix; stream: Matrix; categorical?: Record<string, number> };
    // The complete case's reference has no missing value either.
    const reference = name === 'complete' ? { ...s.reference, data: s.reference.data.map((x) => (Number.isNaN(x) ? 0 : x)) } : s.reference;
    const es = evaluateWindows(reference, s.stream, SETTINGS, 500, 100, s.categorical);
    (times[name] ??= []).push(...es.slice(1).map((e) => e.durationMs));
  }
}
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1] as number; };
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const [name, xs] of Object.entries(times)) console.log(`${name.padEnd(12)} median ${median(xs).toFixed(0)} ms per evaluation (${xs.length} evaluations)`);
