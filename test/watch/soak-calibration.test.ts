import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LEAK_POLICY } from '../../monitor/watch/leak.ts';
import { SOAK_MIN_SPAN_SECONDS, soakVerdict } from '../../monitor/watch/soak/verdict.ts';
import { recordSeries, simulatedMemory } from './memory-model.ts';

/**
 * The end-of-soak leak verdict, calibrated by seeded simulation of healthy servers (warm-up
 * plateau, GC sawtooths, noise: memory-model.ts), sampled every second as `vigil soak` does.
 * Documented bound (BENCHMARKS.md "Soak leak verdict", README): a false-leak rate of at most 1 %
 * for runs of the default minimum span or longer; shorter runs are inconclusive.
 */
const FALSE_LEAK_BOUND = 0.01;
const MiB = 1024 * 1024;

function flaggedShare(minutes: number, leakBytesPerSecond: number, trials: number, minSpanSeconds?: number): { leak: number; inconclusive: number } {
  let leak = 0, inconclusive = 0;
  for (let trial = 1; trial <= trials; trial++) {
    const { wallMs, bytes } = recordSeries(simulatedMemory(7_777 * minutes + trial, leakBytesPerSecond), minutes * 60, 1);
    const v = soakVerdict({ target: 'sim', kind: 'rss', wallMs, bytes, limitBytes: null }, DEFAULT_LEAK_POLICY, 60, null, minSpanSeconds);
    if (v.leakSuspected) leak++;
    if (v.inconclusive) inconclusive++;
  }
  return { leak: leak / trials, inconclusive: inconclusive / trials };
}

test(`healthy servers: false-leak rate ≤ ${FALSE_LEAK_BOUND} over the default minimum span (20 min) and 30 min`, () => {
  assert.equal(SOAK_MIN_SPAN_SECONDS, 20 * 60);
  for (const minutes of [20, 30]) {
    const r = flaggedShare(minutes, 0, 400);
    assert.equal(r.inconclusive, 0);
    assert.ok(r.leak <= FALSE_LEAK_BOUND, `${minutes} min: false-leak rate ${r.leak}`);
  }
});

test('the simulated healthy servers do look like leaks over short runs: 5 and 10 min are inconclusive by default, and judged anyway they exceed the bound many times over', () => {
  for (const minutes of [5, 10]) {
    const byDefault = flaggedShare(minutes, 0, 200);
    assert.deepEqual(byDefault, { leak: 0, inconclusive: 1 });
    const judged = flaggedShare(minutes, 0, 200, 0);
    assert.ok(judged.leak > 10 * FALSE_LEAK_BOUND, `${minutes} min judged anyway: ${judged.leak}`);
  }
});

test('power: a 2 MiB/min leak under the same healthy servers is flagged in ≥ 95 % of 20-minute soaks, 5 MiB/min in all', () => {
  assert.ok(flaggedShare(20, (2 * MiB) / 60, 200).leak >= 0.95);
  assert.equal(flaggedShare(20, (5 * MiB) / 60, 100).leak, 1);
});
