import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runVigil } from '../helpers/cli.ts';
import type { OnlineReport } from '../../monitor/evaluation/types.ts';
import { sampleFeatures } from '../../fixtures/datasets/distribution.ts';
import { spawnMonitor } from './spawn-monitor.ts';
import { MODELS_DIR } from '../../fixtures/models/build.ts';
import { createRng } from '../../fixtures/servers/rng.ts';
import { EXPECTED, type Expected } from '../models/exported-reference.ts';
import { TOKEN_ENV, TOKENS, call, gaussianRows, linearModel, startTestMonitor, writeReference } from './helpers.ts';

const REFERENCE = join(REPO_ROOT, 'fixtures/datasets/reference.jsonl');
const D = 16;
const serveArgs = (dir: string, extra: string[] = []) => ['monitor', 'serve', '--reference', REFERENCE, '--port', '0', '--no-watch', '--state-dir', dir,
  '--window', '50', '--evaluate-every', '20', '--min-samples', '20', '--evaluate-min-gap', '0s', '--log-level', 'warn', ...extra];

const start = spawnMonitor;

interface Snapshot { samples: number; referenceRows: number; evaluations: unknown[] }
async function observed(url: string): Promise<Snapshot> {
  const status = (await call(`${url}/v1/status`, { token: TOKENS.viewer })).json as { windows: { samples: number }; reference: { rows: number } };
  const drift = (await call(`${url}/v1/drift`, { token: TOKENS.viewer })).json as { evaluations: unknown[] };
  return { samples: status.windows.samples, referenceRows: status.reference.rows, evaluations: drift.evaluations };
}

test('--state-dir: kill -9 and restart resume the same window, history and PUT reference; a clean stop too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-state-'));
  const first = start(serveArgs(dir));
  const url = await first.url;
  assert.equal((await call(`${url}/v1/reference`, { method: 'PUT', token: TOKENS.admin, body: { inputs: gaussianRows(30, D, 9, 1) } })).status, 200);
  assert.equal((await call(`${url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(25, D, 1) } })).status, 200);
  let before = await observed(url);
  while (before.evaluations.length === 0) before = await observed(url);
  assert.equal((await call(`${url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(10, D, 2) } })).status, 200);
  before = await observed(url);
  assert.deepEqual([before.samples, before.referenceRows], [35, 30]);
  first.child.kill('SIGKILL');
  await first.done;

  const second = start(serveArgs(dir));
  const after = await observed(await second.url);
  assert.deepEqual(after, before, 'kill -9: same window, same history, same reference');
  second.child.kill('SIGTERM');
  assert.equal((await second.done).code, 0);

  const third = start(serveArgs(dir));
  assert.deepEqual(await observed(await third.url), before, 'clean stop: the last snapshot has everything');
  third.child.kill('SIGTERM');
  await third.done;
});

test('--state-dir: a corrupt or foreign state file is refused with a coded error, never ignored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-state-'));
  const p = start(serveArgs(dir));
  const url = await p.url;
  await call(`${url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(5, D, 1) } });
  p.child.kill('SIGTERM');
  await p.done;

  const otherWindow = await runVigil(serveArgs(dir, ['--window', '60']), { env: TOKEN_ENV, timeoutMs: 60_000 });
  assert.equal(otherWindow.code, 1);
  assert.match(otherWindow.stderr, /error\[VIGIL_MONITOR_STATE_FOREIGN\] state file \S+snapshot\.bin is not this monitor's: written for window 50, this monitor has 60/);

  const otherErt = await runVigil(serveArgs(dir, ['--ert', '20000']), { env: TOKEN_ENV, timeoutMs: 60_000 });
  assert.equal(otherErt.code, 1);
  assert.match(otherErt.stderr, /error\[VIGIL_MONITOR_STATE_FOREIGN\] state file \S+snapshot\.bin is not this monitor's: written for online detector settings \{"enabled":true,"ert":10000,.*"ert":20000/);

  const snap = join(dir, 'snapshot.bin');
  const bytes = readFileSync(snap);
  bytes[bytes.length - 20] = (bytes[bytes.length - 20] as number) ^ 0xff;
  writeFileSync(snap, bytes);
  const corrupt = await runVigil(serveArgs(dir), { env: TOKEN_ENV, timeoutMs: 60_000 });
  assert.equal(corrupt.code, 1);
  assert.match(corrupt.stderr, /error\[VIGIL_MONITOR_STATE_CORRUPT\] state file \S+snapshot\.bin is corrupt at byte \d+: checksum mismatch/);

  writeFileSync(snap, 'window,rows\n50,5\n');
  const foreign = await runVigil(serveArgs(dir), { env: TOKEN_ENV, timeoutMs: 60_000 });
  assert.equal(foreign.code, 1);
  assert.match(foreign.stderr, /error\[VIGIL_MONITOR_STATE_FOREIGN\]/);
});

test('--state-dir with a reference model: outputs, deployed outputs and which rows had one are restored exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-state-'));
  const reference = writeReference(gaussianRows(20, 4, 1));
  const opts = { reference, window: 30, evaluateEvery: 100_000, minSamples: 10, stateDir: dir };
  const a = await startTestMonitor(opts, { model: linearModel(4) });
  await call(`${a.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(12, 4, 2), outputs: gaussianRows(12, 2, 3) } });
  await call(`${a.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(25, 4, 4) } });
  assert.ok(await a.engine.evaluate());
  const before = a.engine.exportState();
  await a.close();
  const b = await startTestMonitor(opts, { model: linearModel(4) });
  try {
    const after = b.engine.exportState();
    assert.deepEqual(after, before);
    assert.equal(after.mask?.filter((f) => f === 1).length, 5, 'the 12 rows with deployed outputs, 7 of them evicted by the 30-row window');
  } finally {
    await b.close();
  }
});

test('--state-dir: the online detector resumes after kill -9 exactly where an uninterrupted monitor is (counters, statistic, alarm, then every later score)', async () => {
  const config = join(mkdtempSync(join(tmpdir(), 'vigil-online-cfg-')), 'monitor.json');
  writeFileSync(config, JSON.stringify({ drift: { online: { ert: 1000, window: 50, step: 25, simulations: 60 } } }));
  const args = (dir: string) => serveArgs(dir, ['--config', config, '--state-fsync-interval', '100ms']);
  const clean = sampleFeatures(400, 777);
  const shifted = sampleFeatures(200, 778).map((r) => r.map((v, j) => (j < 2 ? v + 1.5 : v)));
  const s1 = [clean.slice(0, 60), shifted.slice(0, 40), shifted.slice(40, 100), clean.slice(60, 97)];
  const s2 = [clean.slice(100, 150), shifted.slice(100, 130), clean.slice(150, 230)];
  const post = async (url: string, rows: number[][]) => assert.equal((await call(`${url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: rows } })).status, 200);
  const online = async (url: string) => ((await call(`${url}/v1/drift`, { token: TOKENS.viewer })).json as { online: (OnlineReport & { enabled: true }) | null }).online;
  const until = async (url: string, samples: number) => {
    for (;;) {
      const o = await online(url);
      if (o?.enabled && o.samples === samples) return o;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** Calibrated (rows sent one by one until a batch is scored), then POST /v1/reset: both monitors start from the same point. */
  const prime = async (url: string) => {
    for (let i = 0; !(await online(url))?.enabled; i++) await post(url, [clean[300 + (i % 100)] as number[]]);
    assert.equal((await call(`${url}/v1/reset`, { method: 'POST', token: TOKENS.admin })).status, 200);
  };
  const n = (batches: number[][][]) => batches.reduce((s, b) => s + b.length, 0);
  const timeless = (o: OnlineReport & { enabled: true }) => ({ ...o, calibration: { ...o.calibration, durationMs: 0 } });

  const control = start(args(mkdtempSync(join(tmpdir(), 'vigil-state-'))));
  const controlUrl = await control.url;
  await prime(controlUrl);
  for (const b of [...s1, ...s2]) await post(controlUrl, b);
  const uninterrupted = await until(controlUrl, n(s1) + n(s2));
  control.child.kill('SIGTERM');
  await control.done;

  const dir = mkdtempSync(join(tmpdir(), 'vigil-state-'));
  const first = start(args(dir));
  const url = await first.url;
  await prime(url);
  for (const b of s1) await post(url, b);
  const beforeKill = await until(url, n(s1));
  assert.ok(beforeKill.alarms > 0, 'the shifted rows raised an alarm (the alarm state is carried over)');
  await new Promise((r) => setTimeout(r, 500)); // > the 100 ms fsync interval
  first.child.kill('SIGKILL');
  await first.done;

  const second = start(args(dir));
  try {
    const url2 = await second.url;
    // (the resumed detector reports its own calibration's wall time; everything else is the same)
    assert.deepEqual(timeless(await until(url2, n(s1))), timeless(beforeKill), 'kill -9: the same online state after restart');
    for (const b of s2) await post(url2, b);
    assert.deepEqual(timeless(await until(url2, n(s1) + n(s2))), timeless(uninterrupted), 'and every later score as if it had never stopped');
  } finally {
    second.child.kill('SIGTERM');
  }
  assert.equal((await second.done).code, 0);
});

test('--state-dir with a label-output model: which rows carried a deployed label, and whether it agreed, are restored exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-state-'));
  const rng = createRng(1701);
  const iris = () => [0, 1, 2, 3].map(() => rng.normal() * 1.5);
  const referenceFile = join(mkdtempSync(join(tmpdir(), 'vigil-state-ref-')), 'reference.jsonl');
  writeFileSync(referenceFile, Array.from({ length: 60 }, () => JSON.stringify(iris())).join('\n') + '\n');
  const opts = { reference: referenceFile, model: join(MODELS_DIR, 'sklearn-logreg.onnx'), window: 30, evaluateEvery: 100_000, minSamples: 10, stateDir: dir };
  const rows = Array.from({ length: 12 }, iris);
  const expected = rows.map((r) => (EXPECTED['sklearn-logreg.onnx'] as (x: number[]) => Expected)(r));
  const labels = expected.map((e, i) => (i === 11 ? ((e.label as number) + 1) % 3 : e.label as number));
  const a = await startTestMonitor(opts);
  await call(`${a.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: rows, outputs: expected.map((e) => [...e.scores]), labels } });
  await call(`${a.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: Array.from({ length: 25 }, iris) } });
  const before = a.engine.exportState();
  const parityBefore = (await a.engine.evaluate())?.parity?.labels;
  await a.close();
  // The 30-row window keeps the last 5 labelled rows (the 11th agrees, the 12th does not) and 25 without a label.
  assert.deepEqual([...(before.labels ?? [])].slice(0, 6), [2, 2, 2, 2, 1, 0]);
  assert.deepEqual(parityBefore, { samples: 5, mismatches: 1, agreementRatio: 4 / 5 });
  const b = await startTestMonitor(opts);
  try {
    const after = b.engine.exportState();
    assert.deepEqual(after.labels, before.labels);
    assert.deepEqual((await b.engine.evaluate())?.parity?.labels, parityBefore);
  } finally {
    await b.close();
  }
});
