import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWatcher, type Sampler, type SampleResult } from '../../monitor/watch/index.ts';
import { createRng } from '../../fixtures/servers/rng.ts';

const MB = 1e6;

/**
 * The memory of a garbage-collected process: the heap climbs at `climb` bytes/s from a floor
 * until `amplitude` above it, then a collection drops it back (to the floor plus a little noise);
 * the floor itself rises at `leak` bytes/s (0 = healthy). Sampling noise of ±0.5 MB on top.
 */
function gcProcess(seed: number, leak: number): (tSeconds: number) => number {
  const r = createRng(seed).next;
  const amplitude = (10 + 70 * r()) * MB;
  const climb = (0.5 + 9.5 * r()) * MB;
  const period = amplitude / climb;
  const phase = r() * period;
  return (t) => {
    const cycle = Math.floor((t + phase) / period);
    const inCycle = ((t + phase) % period) / period;
    const residual = ((cycle * 2654435761) % 1000) / 1000 * 2 * MB;
    return 300 * MB + leak * t + residual + inCycle * amplitude + (r() - 0.5) * MB;
  };
}

function scripted(f: (t: number) => number, clock: () => number): Sampler {
  return {
    target: 'pid:4242', type: 'memory', primaryKind: 'rss',
    sample: async (): Promise<SampleResult> => ({ ok: true, memory: [{ target: 'pid:4242', kind: 'rss', bytes: f(clock() / 1000) }], gpus: [] }),
  };
}

/** Runs the real watcher (default policy, 1 s samples, 10 min window) over `minutes` of simulated time. */
async function simulate(f: (t: number) => number, minutes: number): Promise<{ everSuspected: boolean; lastSlope: number | null }> {
  let clock = 0;
  const w = createWatcher({ targets: [], samplers: [scripted(f, () => clock)], now: () => clock });
  let everSuspected = false;
  for (let s = 0; s <= minutes * 60; s++) {
    clock = s * 1000;
    await w.sampleNow();
    if (w.verdicts().some((v) => v.leakSuspected)) everSuspected = true;
  }
  await w.stop();
  return { everSuspected, lastSlope: w.verdicts()[0]?.slopeBytesPerSecond ?? null };
}

test('20 seeded GC sawtooth processes (periods 1–140 s, amplitudes 10–80 MB) are never flagged over 25 min', async () => {
  for (let seed = 1; seed <= 20; seed++) {
    const run = await simulate(gcProcess(seed, 0), 25);
    assert.equal(run.everSuspected, false, `seed ${seed} was flagged (slope ${run.lastSlope} B/s)`);
  }
});

test('the same sawtooth processes with a 100 KB/s leak under them are flagged, slope within 10 %', async () => {
  for (let seed = 1; seed <= 5; seed++) {
    const run = await simulate(gcProcess(seed, 100e3), 25);
    assert.equal(run.everSuspected, true, `seed ${seed} was not flagged`);
    assert.ok(Math.abs((run.lastSlope ?? 0) - 100e3) < 10e3, `seed ${seed}: slope ${run.lastSlope} B/s`);
  }
});
