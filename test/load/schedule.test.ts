import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantSchedule, originalSchedule, stagesSchedule, timeToReach } from '../../load/index.ts';
import { parseStagesText } from '../../load/schedule.ts';
import { parseDurationMs } from '../../common/duration.ts';

const take = (at: (i: number) => number | undefined, max = 1e6): number[] => {
  const out: number[] = [];
  for (let i = 0; i < max; i++) {
    const t = at(i);
    if (t === undefined) break;
    out.push(t);
  }
  return out;
};
const close = (a: number, b: number, eps = 1e-6): boolean => Math.abs(a - b) <= eps;

test('constant rate: arrival i at i/rate seconds', () => {
  const s = constantSchedule(200);
  assert.deepEqual([0, 1, 2, 199, 200].map((i) => s.at(i)), [0, 5, 10, 995, 1000]);
  assert.equal(s.offeredRate, 200);
  assert.equal(s.lengthMs, Infinity);
});

test('stages: a ramp 0→100 req/s over 10 s has N(t) = 5 t², so arrival i is at sqrt(i/5) s', () => {
  const s = stagesSchedule([{ durationMs: 10_000, target: 100 }]);
  const times = take((i) => s.at(i));
  assert.equal(times.length, 500); // area = 10 s × 100 / 2; the arrival landing exactly on the end is not sent
  for (const i of [0, 1, 5, 20, 125, 499]) assert.ok(close(times[i] as number, Math.sqrt(i / 5) * 1000), `arrival ${i}: ${times[i]}`);
  assert.equal(s.offeredRate, 50);
  assert.equal(s.lengthMs, 10_000);
});

test('stages: ramp up, plateau, ramp down (k6 ramping-arrival-rate) match the integrated rate', () => {
  // 0→100 over 2 s (100 arrivals), 100 for 3 s (300), 100→0 over 2 s (100): 500 arrivals.
  const s = stagesSchedule([{ durationMs: 2000, target: 100 }, { durationMs: 3000, target: 100 }, { durationMs: 2000, target: 0 }]);
  const times = take((i) => s.at(i));
  assert.equal(times.length, 500);
  // Independent formulas per segment: up N=25 t² ; plateau 100 + 100 (t-2) ; down N = 400 + 100u - 25u², u = t-5.
  for (let i = 0; i < 500; i++) {
    let expectS: number;
    if (i < 100) expectS = Math.sqrt(i / 25);
    else if (i < 400) expectS = 2 + (i - 100) / 100;
    else expectS = 5 + (100 - Math.sqrt(100 * 100 - 4 * 25 * (i - 400))) / 50;
    assert.ok(close(times[i] as number, expectS * 1000, 1e-6), `arrival ${i}: ${times[i]} vs ${expectS * 1000}`);
  }
  // Non-decreasing, and the count in any second equals the integral of the rate over it.
  for (let i = 1; i < times.length; i++) assert.ok((times[i] as number) >= (times[i - 1] as number));
  assert.equal(times.filter((t) => t >= 3000 && t < 4000).length, 100);
});

test('stages: startRate and the quadratic root in the cancellation-free form', () => {
  // r(t) = 10 + 10 t over 1 s: ∫ = 10 t + 5 t²; need 6.25 → t = 0.5 exactly.
  assert.ok(close(timeToReach(6.25, 10, 20, 1), 0.5, 1e-12));
  // Decreasing ramp 20 → 10: ∫ = 20 t - 5 t²; need 15 → t = 1.
  assert.ok(close(timeToReach(15, 20, 10, 1), 1, 1e-9));
  const s = stagesSchedule([{ durationMs: 1000, target: 20 }], 10);
  assert.deepEqual(take((i) => s.at(i)).length, 15);
});

test('original timing: sorted, shifted to 0, divided by speed; loops with span + mean gap', () => {
  const { schedule, order } = originalSchedule([3, 1, 2, 1.5], 2, false);
  assert.deepEqual(order, [1, 3, 2, 0]);
  assert.deepEqual(take((i) => schedule.at(i)), [0, 250, 500, 1000]);
  assert.equal(schedule.lengthMs, 1000);
  const looped = originalSchedule([0, 1, 2], 1, true).schedule;
  // span 2 s + mean gap 1 s = period 3 s
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((i) => looped.at(i)), [0, 1000, 2000, 3000, 4000, 5000, 6000]);
  assert.equal(looped.lengthMs, Infinity);
});

test('stages text: "30s:100,60s:500,30s:0"', () => {
  assert.deepEqual(parseStagesText('30s:100,60s:500,30s:0', (d) => parseDurationMs(d)), [
    { durationMs: 30_000, target: 100 }, { durationMs: 60_000, target: 500 }, { durationMs: 30_000, target: 0 },
  ]);
  assert.equal(typeof parseStagesText('30s-100', (d) => parseDurationMs(d)), 'string');
});
