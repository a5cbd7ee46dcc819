/**
 * `npm run bench:soak-calibration` — false-leak rate and power of the end-of-soak leak verdict
 * (monitor/watch/soak/verdict.ts: Theil–Sen slope + Mann–Kendall over the run's bucket minima,
 * DEFAULT_LEAK_POLICY) by seeded simulation: healthy servers (warm-up plateau, young- and
 * old-generation GC sawtooths, sampling noise: test/watch/memory-model.ts) sampled every second as
 * `vigil soak` does, over several run lengths, with and without a leak underneath. The verdict is
 * computed as if `--min-span` were 0, so every length gets one; rows below SOAK_MIN_SPAN_SECONDS
 * show why those runs report "inconclusive". TRIALS (default 1000) per cell; ± is the 95 % binomial
 * half-width (Wilson's upper bound is given for a rate of 0).
 * Then the live watcher's rule (`vigil watch` defaults: 10-min window, an evaluation every 30 s,
 * minimum span 90 % of the window, sustain 3) over 40-min runs of the same servers: the share ever
 * flagged, judging from the start and from 15 min in (LIVE_TRIALS, default 200).
 */
import { DEFAULT_LEAK_POLICY, INITIAL_LEAK_STATE, stepLeak } from '../monitor/watch/leak.ts';
import { analyzeTrend } from '../monitor/watch/trend.ts';
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

/** The live rule over a 40-min run: sliding 10-min window, evaluated every 30 s, from `startSeconds`. */
function liveEverFlagged(seed: number, leak: number, startSeconds: number): boolean {
  const { wallMs, bytes } = recordSeries(simulatedMemory(seed, leak), 40 * 60, 1);
  let state = INITIAL_LEAK_STATE;
  for (let end = 30; end < wallMs.length; end += 30) {
    if (end < startSeconds) continue;
    const from = Math.max(0, end - 600);
    const trend = analyzeTrend(Float64Array.from(wallMs.slice(from, end + 1), (t) => t / 1000), bytes.slice(from, end + 1), { maxPoints: 60 });
    state = stepLeak(trend, { ...DEFAULT_LEAK_POLICY, minSpanSeconds: 540 }, state);
    if (state.suspected) return true;
  }
  return false;
}

const LIVE_TRIALS = Number(process.env.LIVE_TRIALS ?? 200);
console.log('\n| live watcher, 40-min run | healthy: share ever flagged | 2 MiB/min: share flagged |');
console.log('| --- | ---: | ---: |');
for (const start of [0, 900]) {
  const cells = [0, (2 * MiB) / 60].map((leak) => {
    let flagged = 0;
    for (let trial = 1; trial <= LIVE_TRIALS; trial++) if (liveEverFlagged(99_991 * trial + 5, leak, start)) flagged++;
    return rate(flagged, LIVE_TRIALS);
  });
  console.log(`| judged from ${start === 0 ? 'the first sample (today)' : `${start / 60} min in`} | ${cells.join(' | ')} |`);
}
