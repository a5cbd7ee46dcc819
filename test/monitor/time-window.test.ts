import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { monitorFlagsToConfig } from '../../cli/monitor.ts';
import { parseMonitorConfig, resolveMonitorConfig, windowDescription } from '../../monitor/config.ts';
import { RingFlags, RingWindow } from '../../monitor/state/window.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnMonitor } from './spawn-monitor.ts';
import { TOKENS, call, gaussianRows, startTestMonitor, writeReference } from './helpers.ts';

test('RingWindow / RingFlags with eviction of the oldest rows: the same rows as a plain array model under any sequence of pushes and drops', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), fc.array(fc.oneof(fc.record({ push: fc.integer({ min: 1, max: 9 }) }), fc.record({ drop: fc.integer({ min: 0, max: 9 }) })), { maxLength: 40 }), (cap, ops) => {
    const w = new RingWindow(cap, 2);
    const f = new RingFlags(cap);
    let model: number[] = [];
    let next = 0;
    for (const op of ops) {
      if ('push' in op) {
        for (let i = 0; i < op.push; i++, next++) {
          // NaN is data (a missing value): the window is a plain numeric matrix.
          w.push([next, next % 5 === 0 ? NaN : -next]);
          f.push(next % 2 === 0);
          model.push(next);
          if (model.length > cap) model = model.slice(1);
        }
      } else {
        w.dropOldest(op.drop);
        f.dropOldest(op.drop);
        model = model.slice(Math.min(op.drop, model.length));
      }
      const snap = w.snapshot();
      assert.equal(snap.rows, model.length);
      assert.deepEqual(Array.from({ length: snap.rows }, (_, i) => snap.data[i * 2]), model);
      assert.deepEqual(Array.from({ length: snap.rows }, (_, i) => snap.data[i * 2 + 1]), model.map((v) => (v % 5 === 0 ? NaN : -v)));
      assert.deepEqual(Array.from({ length: w.size }, (_, i) => w.at(i)), model);
      assert.deepEqual(Array.from(f.snapshot()), model.map((v) => (v % 2 === 0 ? 1 : 0)));
    }
  }));
});

test('config: window N or {samples: N} is a count window; {duration} a time window with maxSamples; the flag takes both; the evaluation interval follows a short duration', () => {
  const base = { reference: 'r.csv' };
  for (const window of [300, { samples: 300 }]) {
    const c = parseMonitorConfig({ ...base, window });
    assert.deepEqual([c.window, c.windowDuration, c.evaluateInterval, windowDescription(c)], [300, undefined, 30_000, { kind: 'samples', samples: 300 }]);
  }
  const d = parseMonitorConfig({ ...base, window: { duration: '10m' } });
  assert.deepEqual([d.window, d.windowDuration, d.evaluateInterval, windowDescription(d)], [100_000, 600_000, 30_000, { kind: 'duration', durationMs: 600_000, maxSamples: 100_000 }]);
  const short = parseMonitorConfig({ ...base, window: { duration: '2s', maxSamples: 5000 } });
  assert.deepEqual([short.window, short.windowDuration, short.evaluateInterval], [5000, 2000, 500], 'duration / 4 when shorter than 30 s');
  assert.equal(parseMonitorConfig({ ...base, window: { duration: '2s' }, evaluateInterval: '3s' }).evaluateInterval, 3000, 'an explicit interval wins');
  const flags = resolveMonitorConfig(undefined, { ...monitorFlagsToConfig({ window: '90s', windowMaxSamples: '2000' }), reference: 'r.csv' });
  assert.deepEqual([flags.window, flags.windowDuration], [2000, 90_000]);
  assert.equal(resolveMonitorConfig(undefined, { ...monitorFlagsToConfig({ window: '250' }), reference: 'r.csv' }).window, 250);
  for (const bad of [{ duration: '1ms' }, { duration: 'soon' }, { samples: 5 }, { duration: '1m', samples: 10 }]) {
    assert.throws(() => parseMonitorConfig({ ...base, window: bad }), (err: Error & { code?: string }) => err.code === 'VIGIL_CONFIG_INVALID' && /window/.test(err.message), JSON.stringify(bad));
  }
});

test('duration window in the engine: rows leave by observation time (also those persisted: their times are kept), any values included', async () => {
  const svc = await startTestMonitor({ reference: writeReference(gaussianRows(40, 3, 1)), window: { duration: '30s', maxSamples: 50 }, evaluateEvery: 100_000, minSamples: 10 });
  try {
    const now = Date.now();
    const rows = (n: number, seed: number) => ({ data: Float64Array.from(gaussianRows(n, 3, seed).flat()), rows: n, cols: 3 });
    const old = rows(4, 2);
    const recent = rows(6, 3);
    recent.data[1] = NaN; // a missing value stays in the matrix as NaN
    await svc.engine.restoreState(undefined, [{ t: 'obs', inputs: old, at: now - 50_000 }, { t: 'obs', inputs: rows(3, 4), at: now - 20_000 }, { t: 'obs', inputs: recent, at: now - 10_000 }]);
    // Replayed rows keep their observation time: the 50 s old batch is out at once.
    assert.equal(svc.engine.windowSize, 9);
    const state = svc.engine.exportState();
    assert.deepEqual(Array.from(state.times ?? []), [...new Array<number>(3).fill(now - 20_000), ...new Array<number>(6).fill(now - 10_000)]);
    assert.ok(Number.isNaN(state.inputs.data[3 * 3 + 1]));
    assert.equal(svc.engine.evictExpired(now + 10_000), 0, 'exactly 30 s old: not older than the window');
    assert.equal(svc.engine.evictExpired(now + 10_001), 3, 'the 20 s old batch once older than 30 s');
    assert.equal(svc.engine.evictExpired(now + 10_001), 0);
    assert.equal(svc.engine.windowSize, 6);
    assert.ok(Number.isNaN(svc.engine.exportState().inputs.data[1]));
    const status = (await call(`${svc.url}/v1/status`, { token: TOKENS.viewer })).json as { windows: Record<string, unknown> };
    assert.equal(status.windows.kind, 'duration');
    assert.deepEqual([status.windows.durationMs, status.windows.maxSamples, status.windows.samples], [30_000, 50, 6]);
    assert.ok((status.windows.oldestAgeSeconds as number) >= 10, 'the oldest row is the 10 s old batch');
    // maxSamples bounds the rows whatever their age: the oldest go first.
    await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(60, 3, 5) } });
    assert.equal(svc.engine.windowSize, 50);
  } finally {
    await svc.close();
  }
});

const serve = (args: string[]) => spawnMonitor(['monitor', 'serve', '--port', '0', '--no-watch', '--log-level', 'warn', '--evaluate-min-gap', '0s', ...args]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function poll<T>(what: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    await sleep(100);
  }
}
interface WindowStatus { kind: string; samples: number; durationMs?: number; oldestAgeSeconds?: number | null }
const windowOf = async (url: string) => ((await call(`${url}/v1/status`, { token: TOKENS.viewer })).json as { windows: WindowStatus }).windows;

test('--window 2s in a real process: evaluated on the interval, emptied by age without traffic, said in /v1/status and /v1/drift; --state-dir keeps each row\'s time across kill -9', { timeout: 180_000 }, async () => {
  const reference = writeReference(gaussianRows(40, 4, 1));
  const common = ['--reference', reference, '--evaluate-every', '1000000', '--evaluate-interval', '300ms', '--min-samples', '10', '--state-fsync-interval', '100ms'];
  const post = async (url: string, n: number, seed: number) => assert.equal((await call(`${url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(n, 4, seed) } })).status, 200);

  const dir = mkdtempSync(join(tmpdir(), 'vigil-timewin-'));
  const a = serve([...common, '--window', '2s', '--state-dir', dir]);
  const url = await a.url;
  await post(url, 30, 2);
  const drift = (await call(`${url}/v1/drift`, { token: TOKENS.viewer })).json as { window: unknown };
  assert.deepEqual(drift.window, { kind: 'duration', durationMs: 2000, maxSamples: 100_000 });
  // No sample count reaches --evaluate-every: the interval evaluates the window.
  const evaluations = await poll(async () => {
    const ev = ((await call(`${url}/v1/drift`, { token: TOKENS.viewer })).json as { evaluations: { windowSamples: number }[] }).evaluations;
    return ev.length > 0 ? ev : undefined;
  });
  assert.equal(evaluations[0]?.windowSamples, 30);
  // No more traffic: the rows age out.
  await poll(async () => ((await windowOf(url)).samples === 0 ? true : undefined));
  // Rows observed, the process killed, restarted after they are older than the window: they are gone (their time was kept).
  await post(url, 25, 3);
  const postedAt = Date.now();
  assert.equal((await windowOf(url)).samples, 25);
  await sleep(400);
  a.child.kill('SIGKILL');
  await a.done;
  await sleep(Math.max(0, postedAt + 2500 - Date.now()));
  const b = serve([...common, '--window', '2s', '--state-dir', dir]);
  try {
    assert.equal((await windowOf(await b.url)).samples, 0, 'rows older than the window when the monitor restarts are not brought back');
  } finally {
    b.child.kill('SIGTERM');
  }
  await b.done;

  // A longer window: the rows come back with their age.
  const dir2 = mkdtempSync(join(tmpdir(), 'vigil-timewin-'));
  const c = serve([...common, '--window', '10m', '--state-dir', dir2]);
  const url2 = await c.url;
  await post(url2, 25, 4);
  const posted2 = Date.now();
  await sleep(400);
  c.child.kill('SIGKILL');
  await c.done;
  const d = serve([...common, '--window', '10m', '--state-dir', dir2]);
  try {
    const w = await windowOf(await d.url);
    const elapsed = (Date.now() - posted2) / 1000;
    assert.equal(w.kind, 'duration');
    assert.equal(w.samples, 25);
    // Stamped when observed (before the POST answered), not at the restart (which alone takes longer than the slack).
    assert.ok((w.oldestAgeSeconds as number) >= elapsed - 0.5, `age ${w.oldestAgeSeconds} s, posted ${elapsed} s ago`);
  } finally {
    d.child.kill('SIGTERM');
  }
  await d.done;
});
