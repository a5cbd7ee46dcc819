import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { OpenScheduler } from '../../load/open-scheduler.ts';
import { constantSchedule, stagesSchedule } from '../../load/index.ts';

function runScheduler(schedule: ReturnType<typeof constantSchedule>, durationEndMs: number, endMs: number, stopAfter = Infinity): Promise<{ fired: [number, number, number][]; endMs: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const fired: [number, number, number][] = [];
    const s = new OpenScheduler(schedule, durationEndMs, endMs, {
      now: () => performance.now() - t0,
      fire: (i, due, now) => { fired.push([i, due, now]); return fired.length < stopAfter; },
      finished: (ms) => resolve({ fired, endMs: ms }),
    });
    s.start();
  });
}

test('open scheduler: every arrival fires once, in order, never before its intended time', async () => {
  const { fired, endMs } = await runScheduler(constantSchedule(1000), 60, 60);
  assert.equal(fired.length, 60); // arrivals at 0, 1, ..., 59 ms
  fired.forEach(([i, due, now], k) => {
    assert.equal(i, k);
    assert.equal(due, k);
    assert.ok(now >= due, `arrival ${i} fired at ${now} before ${due}`);
  });
  assert.equal(endMs, 60);
});

test('open scheduler: a finite schedule ends by itself; fire() returning false stops at once', async () => {
  const ramp = await runScheduler(stagesSchedule([{ durationMs: 100, target: 400 }]), Infinity, 100);
  assert.equal(ramp.fired.length, 20); // ∫ 0→400 req/s over 0.1 s = 20 arrivals
  assert.equal(ramp.endMs, 100);
  const stopped = await runScheduler(constantSchedule(1000), Infinity, Infinity, 5);
  assert.equal(stopped.fired.length, 5);
  assert.ok(stopped.endMs < 1000);
});
