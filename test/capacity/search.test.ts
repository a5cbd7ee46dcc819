import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchCapacity, type SearchOptions } from '../../load/capacity/search.ts';
import { findKnee } from '../../load/capacity/knee.ts';
import { replicasFor } from '../../load/capacity/replicas.ts';
import { judgeStep } from '../../load/capacity/judge.ts';
import type { StepResult } from '../../load/capacity/types.ts';
import { fakeTarget } from './fake-target.ts';

const BASE: SearchOptions = {
  mode: 'rate', startRate: 25, maxRate: 10_000, growth: 1.5, refinements: 8, resolution: 0.01, probeDown: 3,
  maxErrorRate: 0.01, saturationRatio: 0.95, minGrowth: 0.05, confirmFailures: 0,
};

test('finds the highest offered rate whose P99 meets the SLO, within the resolution', async () => {
  // S/sqrt(1-ρ) < 100 ⇔ ρ < 1 − (S/100)² = 0.96 → boundary 192 req/s for C = 200.
  const target = fakeTarget({ capacity: 200, serviceMs: 20, sloP99Ms: 100 });
  const out = await searchCapacity(target, BASE);
  assert.equal(out.stopReason, 'saturation'); // the first failing climb step (285) also saturates
  const boundary = 200 * (1 - (20 / 100) ** 2);
  assert.ok(out.best, 'a load met the SLO');
  assert.ok(out.best.offeredRate < boundary && out.best.offeredRate > boundary * 0.97, `best offered ${out.best.offeredRate}`);
  assert.ok(out.steps.some((s) => s.phase === 'refine'));
  // the climb is geometric from the start rate
  assert.deepEqual(target.offered.slice(0, 4), [25, 37.5, 56.25, 84.38]);
});

test('stops at the SLO when latency breaks before saturation', async () => {
  const target = fakeTarget({ capacity: 200, serviceMs: 20, sloP99Ms: 30 }); // ρ < 0.556
  const out = await searchCapacity(target, BASE);
  assert.equal(out.stopReason, 'slo');
  assert.ok(out.best && out.best.offeredRate <= 200 * (1 - (20 / 30) ** 2));
});

test('an SLO tighter than the service time: no load meets it, after probing below the start', async () => {
  const target = fakeTarget({ capacity: 200, serviceMs: 20, sloP99Ms: 10 });
  const out = await searchCapacity(target, BASE);
  assert.equal(out.best, undefined);
  assert.equal(out.stopReason, 'slo');
  assert.deepEqual(target.offered, [25, 12.5, 6.25, 3.125]);
  assert.deepEqual(out.steps.map((s) => s.phase), ['climb', 'probe-down', 'probe-down', 'probe-down']);
});

test('a probe below the start that passes is refined upwards', async () => {
  const target = fakeTarget({ capacity: 200, serviceMs: 20, sloP99Ms: 100 });
  const out = await searchCapacity(target, { ...BASE, startRate: 400 });
  assert.ok(out.best && out.best.offeredRate > 150 && out.best.offeredRate < 192);
});

test('a failing step is confirmed by a re-run; a pass on the re-run counts as a pass', async () => {
  const target = fakeTarget({ capacity: 200, serviceMs: 20, sloP99Ms: 100 });
  let calls = 0;
  const flaky = async (r: number) => { calls++; const m = await target(r); return calls === 1 ? { ...m, slo: [{ expr: 'p99<100ms', ok: false, value: 500 }] } : m; };
  const out = await searchCapacity(flaky, { ...BASE, confirmFailures: 1 });
  assert.deepEqual(out.steps.slice(0, 2).map((s) => [s.offeredRate, s.phase, s.ok, s.superseded ?? false]), [[25, 'climb', false, true], [25, 'confirm', true, false]]);
  assert.ok(out.best && out.best.offeredRate > 180);
  // a real failure is run twice and then counts
  const confirmed = out.steps.filter((s) => s.phase === 'confirm');
  assert.ok(confirmed.length >= 2 && confirmed.slice(1).every((s) => !s.ok));
});

test('reaching the max rate with the SLO met stops with max-rate', async () => {
  const out = await searchCapacity(fakeTarget({ capacity: 1e9, serviceMs: 1, sloP99Ms: 100 }), { ...BASE, maxRate: 100 });
  assert.equal(out.stopReason, 'max-rate');
  assert.equal(out.steps.at(-1)?.offeredRate, 100);
  assert.equal(out.best?.offeredRate, 100);
});

test('an error-rate breach stops with errors', async () => {
  const out = await searchCapacity(fakeTarget({ capacity: 1000, serviceMs: 5, sloP99Ms: 1000, errorAbove: 100 }), BASE);
  assert.equal(out.stopReason, 'errors');
  assert.ok(out.best && out.best.offeredRate <= 100 && out.best.offeredRate > 95);
});

test('connections mode: saturation is throughput that stops growing', async () => {
  // each connection gives 1000/S = 50 req/s; capacity 200 → 4 connections
  const out = await searchCapacity(fakeTarget({ capacity: 200, serviceMs: 20, sloP99Ms: 1e9, mode: 'connections' }), { ...BASE, mode: 'connections', startRate: 1, growth: 2 });
  assert.equal(out.stopReason, 'saturation');
  assert.ok(out.steps.every((s) => Number.isInteger(s.offeredRate)));
  assert.ok(out.best && out.best.offeredRate <= 4 && out.best.achievedQps >= 150);
});

test('an abort stops the search after the running step', async () => {
  let n = 0;
  const target = fakeTarget({ capacity: 200, serviceMs: 20, sloP99Ms: 100 });
  const out = await searchCapacity(async (r) => { n++; return target(r); }, BASE, { isAborted: () => n >= 2 });
  assert.equal(out.stopReason, 'aborted');
  assert.equal(out.steps.length, 2);
});

test('saturation: achieved below 95 % of offered, or any dropped iteration (table)', () => {
  const m = (achieved: number, dropped: number) => ({ offeredRate: 100, achievedQps: achieved, requests: 1e9, errorRate: 0, droppedIterations: dropped,
    latencyMs: { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 }, slo: [] });
  const c = { maxErrorRate: 0.01, saturationRatio: 0.95, mode: 'rate' as const };
  assert.deepEqual(judgeStep(m(95, 0), c), []);
  assert.deepEqual(judgeStep(m(94.9, 0), c), ['saturation']);
  assert.deepEqual(judgeStep(m(100, 1), c), ['saturation']);
  // one request of slack: 9 requests in 0.1 s (90 req/s) at 100 offered is 9 of 10 arrivals, rounding; 8 of 10 is not
  assert.deepEqual(judgeStep({ ...m(90, 0), requests: 9 }, c), []);
  assert.deepEqual(judgeStep({ ...m(80, 0), requests: 8 }, c), ['saturation']);
  assert.deepEqual(judgeStep({ ...m(0, 0), requests: 0 }, c), ['saturation']);
  assert.deepEqual(judgeStep({ ...m(100, 0), errorRate: 0.02, slo: [{ expr: 'p99<1ms', ok: false, value: 2 }] }, c), ['slo', 'errors']);
});

test('the knee is the point farthest from the chord of the normalised curve (independent geometric check)', () => {
  const xs = [20, 40, 60, 80, 100, 120, 140, 160, 180, 190];
  const steps = xs.map((x) => ({ offeredRate: x, achievedQps: x, requests: 10, latencyMs: { p99: 10 / (1 - x / 200) } })) as unknown as StepResult[];
  const knee = findKnee(steps);
  // reference: perpendicular distance to the line through the first and last points, raw units rescaled
  const ys = xs.map((x) => 10 / (1 - x / 200));
  const [x0, y0, x1, y1] = [xs[0] as number, ys[0] as number, xs.at(-1) as number, ys.at(-1) as number];
  const dist = xs.map((x, i) => {
    const u = (x - x0) / (x1 - x0); const v = ((ys[i] as number) - y0) / (y1 - y0);
    return Math.abs(v - u) / Math.SQRT2;
  });
  const expected = xs[dist.indexOf(Math.max(...dist))];
  assert.equal(knee?.achievedQps, expected);
  assert.equal(findKnee(steps.slice(0, 2)), null);
});

test('replicas = ceil(peak × (1 + headroom) / max sustainable) (table)', () => {
  const cases: [number, number, number | null, number | null][] = [
    [5000, 0.3, 412, 16], // 6500 / 412 = 15.78
    [1000, 0, 250, 4],    // exactly 4
    [1000, 0.3, 2000, 1],
    [100, 0.3, null, null],
  ];
  for (const [peak, headroom, max, count] of cases) assert.equal(replicasFor(peak, headroom, max).count, count, `${peak}/${headroom}/${max}`);
  assert.match(replicasFor(1, 0, 1).assumption, /linear/);
});
