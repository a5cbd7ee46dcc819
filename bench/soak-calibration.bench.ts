/**
 * `npm run bench:soak-calibration` — false-leak rate and power of the end-of-soak leak verdict
 * (monitor/watch/soak/verdict.ts: Theil–Sen slope + Mann–Kendall over the run's bucket minima,
 * DEFAULT_LEAK_POLICY) by seeded simulation: healthy servers (warm-up plateau, young- and
 * old-generation GC sawtooths, sampling noise: test/watch/memory-model.ts) sampled every second as
 * `vigil soak` does, over several run lengths, with and without a leak underneath. The verdict is
 * computed as if `--min-span` were 0, so every length gets one; rows below SOAK_MIN_SPAN_SECONDS
 * show why those runs report "inconclusive". TRIALS (default 1000) per cell; ± is the 95 % binomial
 * half-width (Wilson's upper bound is given for a rate of 0).
 */
import { DEFAULT_LEAK_POLICY } from '../monitor/watch/leak.ts';
import { SOAK_MIN_SPAN_SECONDS, soakVerdict } from '../monitor/watch/soak/verdict.ts';
import { recordSeries, simulatedMemory } from '../test/watch/memory-model.ts';

const TRIALS = Number(process.env.TRIALS ?? 1000);
const MINUTES = [5, 10, 15, 20, 30, 60];
const MiB = 1024 * 1024;
const LEAKS: [string, number][] = [['healthy (false-leak rate)', 0], ['1 MB/min', 1e6 / 60], ['1 MiB/min (the minimum slope)', MiB / 60], ['2 MiB/min', (2 * MiB) / 60], ['5 MiB/min', (5 * MiB) / 60]];

function rate(flagged: number, n: number): string {
  const p = flagged / n;
  if (flagged === 0) return `0 (≤ ${(3.84 / (n + 3.84)).toFixed(4)})`;
  return `${p.toFixed(3)} ± ${(1.96 * Math.sqrt((p * (1 - p)) / n)).toFixed(3)}`;
}

const t0 = performance.now();
console.log(`| run length | ${LEAKS.map(([name]) => name).join(' | ')} |`);
console.log(`| --- | ${LEAKS.map(() => '---:').join(' | ')} |`);
for (const minutes of MINUTES) {
  const cells = LEAKS.map(([, leak]) => {
    let flagged = 0;
    for (let trial = 1; trial <= TRIALS; trial++) {
      const { wallMs, bytes } = recordSeries(simulatedMemory(1_000_003 * minutes + trial, leak), minutes * 60, 1);
      if (soakVerdict({ target: 'sim', kind: 'rss', wallMs, bytes, limitBytes: null }, DEFAULT_LEAK_POLICY, 60, null, 0).leakSuspected) flagged++;
    }
    return rate(flagged, TRIALS);
  });
  const mark = minutes * 60 < SOAK_MIN_SPAN_SECONDS ? ' (inconclusive by default)' : '';
  console.log(`| ${minutes} min${mark} | ${cells.join(' | ')} |`);
}
console.log(`\n${TRIALS} trials per cell, 1 s sampling, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
