import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { createScheduler, loadScheduleConfig, readRecord, registerScheduleMetrics, startScheduleServer, type RunRecord } from '../../load/schedule/index.ts';
import type { LoadResult } from '../../load/index.ts';
import type { CapacityResult } from '../../load/capacity/index.ts';
import { metricValue, writeSchedule } from './helpers.ts';

test('an every-second schedule runs N times, records N files, flags the injected regression, never overlaps', async () => {
  const fixture = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 2 } });
  const N = 4;
  const paths = writeSchedule('schedule-runs', { target: fixture.url, rate: 20, duration: '1s', cron: '* * * * * *', lastN: 3 });
  const config = loadScheduleConfig(paths.config);
  const records: RunRecord[] = [];
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => { allDone = resolve; });
  const scheduler = createScheduler({
    config, maxRuns: N,
    onRecord: (r) => {
      records.push(r);
      // make the server slower before the last run: the regression to be found
      if (records.length === N - 1) fixture.setOptions({ serviceTime: { kind: 'fixed', ms: 300 } });
      if (records.length === N) allDone();
    },
  });
  const registry = new Registry();
  registerScheduleMetrics(registry, () => scheduler.states());
  const server = await startScheduleServer({ host: '127.0.0.1', port: 0, registry, states: () => scheduler.states() });
  try {
    scheduler.start();
    await finished;
    await scheduler.stop('finish');

    const files = readdirSync(join(paths.history, 'predict'));
    assert.equal(files.length, N, files.join(', '));
    assert.ok(files.every((f) => !f.startsWith('.')), 'no temp files');
    const onDisk = files.sort().map((f) => readRecord(join(paths.history, 'predict', f)) as RunRecord);
    assert.deepEqual(onDisk.map((r) => r.startedAt), records.map((r) => r.startedAt));
    // never two runs at once: each run starts after the previous one ended
    for (let i = 1; i < onDisk.length; i++) assert.ok(Date.parse((onDisk[i] as RunRecord).startedAt) >= Date.parse((onDisk[i - 1] as RunRecord).endedAt));
    assert.ok((scheduler.states()[0]?.skipped ?? 0) >= 1, 'ticks during a run were skipped');

    // baselines: none, then the median of the runs before (up to lastN = 3)
    assert.deepEqual(onDisk.map((r) => [r.verdict.baseline.kind, r.verdict.baseline.runs]), [['none', 0], ['median', 1], ['median', 2], ['median', 3]]);
    const p99s = onDisk.slice(0, 3).map((r) => r.result.summary.latencyMs.p99).sort((a, b) => a - b);
    assert.equal(onDisk[3]?.verdict.baseline.figures?.p99, p99s[1]); // median of three, computed here
    assert.deepEqual(onDisk.slice(0, 3).map((r) => r.verdict.regressed), [false, false, false]);
    const last = onDisk[3] as RunRecord;
    assert.equal(last.verdict.regressed, true);
    assert.equal(last.passed, false);
    assert.equal(last.verdict.checks.find((c) => c.metric === 'p99')?.ok, false);

    // metrics reflect the last run
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const labels = { scenario: 'predict', model: 'fixture' };
    assert.equal(metricValue(text, 'vigil_loadtest_passed', labels), 0);
    assert.equal(metricValue(text, 'vigil_loadtest_regression', labels), 1);
    assert.equal(metricValue(text, 'vigil_loadtest_latency_seconds', { ...labels, quantile: '0.99' }), last.result.summary.latencyMs.p99 / 1000);
    assert.ok((metricValue(text, 'vigil_loadtest_latency_seconds', { ...labels, quantile: '0.5' }) ?? 0) >= 0.3);
    assert.equal(metricValue(text, 'vigil_loadtest_qps', labels), last.result.summary.qps);
    assert.equal(metricValue(text, 'vigil_loadtest_error_ratio', labels), last.result.summary.errors.rate);
    assert.equal(metricValue(text, 'vigil_loadtest_last_run_timestamp_seconds', labels), Date.parse(last.endedAt) / 1000);
    assert.equal(metricValue(text, 'vigil_loadtest_runs_total', { ...labels, outcome: 'passed' }), 3);
    assert.equal(metricValue(text, 'vigil_loadtest_runs_total', { ...labels, outcome: 'failed' }), 1);
    const health = await (await fetch(`${server.url}/healthz`)).json() as { status: string; scenarios: { name: string; running: boolean; last: { regressed: boolean } }[] };
    assert.equal(health.status, 'ok');
    assert.deepEqual(health.scenarios.map((s) => [s.name, s.running, s.last.regressed]), [['predict', false, true]]);
  } finally {
    await scheduler.stop('abort');
    await server.close();
    await fixture.close();
  }
});

test('a tick while the scenario runs is skipped: one run at a time (injected runner)', async () => {
  const paths = writeSchedule('schedule-overlap', { target: 'http://127.0.0.1:9', rate: 1, duration: '1s', cron: '0 0 1 1 *' });
  let active = 0;
  let maxActive = 0;
  const releases: (() => void)[] = [];
  const fake = (signal: AbortSignal): Promise<LoadResult> => new Promise((resolve) => {
    active++;
    maxActive = Math.max(maxActive, active);
    const finish = (aborted: boolean): void => { active--; resolve(fakeResult(aborted)); };
    releases.push(() => finish(false));
    signal.addEventListener('abort', () => finish(true), { once: true });
  });
  const scheduler = createScheduler({ config: loadScheduleConfig(paths.config), run: (_o, signal) => fake(signal) });
  assert.equal(scheduler.trigger('predict'), true);
  assert.equal(scheduler.trigger('predict'), false);
  assert.equal(scheduler.trigger('predict'), false);
  assert.equal(scheduler.states()[0]?.skipped, 2);
  releases.shift()?.();
  await scheduler.idle();
  assert.equal(scheduler.trigger('predict'), true);
  await scheduler.stop('abort'); // the running test is aborted and still recorded
  assert.equal(maxActive, 1);
  const files = readdirSync(join(paths.history, 'predict')).sort();
  assert.equal(files.length, 2);
  assert.deepEqual(files.map((f) => readRecord(join(paths.history, 'predict', f))?.aborted), [false, true]);
  assert.equal(scheduler.trigger('predict'), false, 'no runs after stop');
});

let seq = 0;
function fakeResult(aborted: boolean): LoadResult {
  const t = new Date(Date.UTC(2026, 0, 1, 0, 0, seq++)).toISOString();
  return {
    schema: 'vigil.load.result/v1', target: 'http://127.0.0.1:9', startedAt: t, endedAt: t, aborted,
    config: { model: 'open', rate: 1, connections: null, durationS: 1, warmupS: 0 },
    summary: {
      requests: 1, durationS: 1, qps: 1, offeredRate: 1, latencyMs: { min: 1, mean: 1, p50: 1, p90: 1, p95: 1, p99: 1, p999: 1, max: 1 },
      errors: { total: 0, rate: 0, byClass: { timeout: 0, connect: 0, reset: 0, http4xx: 0, http5xx: 0, stream: 0, grpc: 0, other: 0 } },
      status: { 200: 1 }, bytesIn: 0, bytesOut: 0, droppedIterations: 0,
    },
    intervals: [], endpoints: {}, histogram: '', thresholds: [],
  };
}

test('a capacity block keeps <history>/<scenario>/capacity/latest.* up to date and exported', async () => {
  const fixture = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 10 }, concurrencyLimit: 2 }); // 200 req/s
  const paths = writeSchedule('schedule-capacity', {
    target: fixture.url, rate: 10, duration: '1s', cron: '0 0 1 1 *',
    capacity: ['cron: "0 0 1 1 *"', 'slo: ["p99<2s"]', 'startRate: 60', 'growth: 2', 'stepDuration: 400ms', 'settle: 100ms', 'refinements: 1', 'confirm: 0', 'peakQps: 1000'],
  });
  const scheduler = createScheduler({ config: loadScheduleConfig(paths.config) });
  const registry = new Registry();
  registerScheduleMetrics(registry, () => scheduler.states());
  try {
    assert.equal(scheduler.trigger('predict', 'capacity'), true);
    assert.equal(scheduler.trigger('predict'), false, 'no load run while the capacity search measures the same target');
    await scheduler.idle();
    const dir = join(paths.history, 'predict', 'capacity');
    assert.deepEqual(readdirSync(dir).sort(), ['latest.html', 'latest.json', 'latest.md']);
    const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as CapacityResult;
    assert.equal(result.schema, 'vigil.capacity.result/v1');
    assert.ok(result.maxSustainableQps !== null && result.maxSustainableQps > 0);
    assert.equal(result.replicas?.peakQps, 1000);
    assert.equal(metricValue(await registry.metrics(), 'vigil_loadtest_capacity_qps', { scenario: 'predict', model: 'fixture' }), result.maxSustainableQps);
    assert.equal(readdirSync(join(paths.history, 'predict')).filter((f) => f.endsWith('.json')).length, 0, 'capacity reports are not load-run history');
  } finally {
    await scheduler.stop('abort');
    await fixture.close();
  }
});
