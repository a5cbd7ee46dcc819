import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { REPO_ROOT, collectRun, runVigil, spawnVigil } from '../helpers/cli.ts';
import { TOKEN_ENV, TOKENS, call, gaussianRows, linearModel, startTestMonitor, writeReference } from './helpers.ts';

const REFERENCE = join(REPO_ROOT, 'fixtures/datasets/reference.jsonl');
const D = 16;
const serveArgs = (dir: string, extra: string[] = []) => ['monitor', 'serve', '--reference', REFERENCE, '--port', '0', '--no-watch', '--state-dir', dir,
  '--window', '50', '--evaluate-every', '20', '--min-samples', '20', '--evaluate-min-gap', '0s', '--log-level', 'warn', ...extra];

function start(args: string[]): { child: ChildProcess; url: Promise<string>; done: ReturnType<typeof collectRun> } {
  const child = spawnVigil(args, { env: TOKEN_ENV });
  const done = collectRun(child, 120_000);
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); const m = /listening (http:\/\/\S+)/.exec(out); if (m) resolve(m[1] as string); });
    child.once('exit', (code) => reject(new Error(`monitor exited with ${code}`)));
  });
  return { child, url, done };
}

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
