/**
 * How `vigil load run` behaves when things go wrong: an unreachable target, an output that cannot
 * be written (before or after the run), a signal mid-run, credentials in the target URL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { readLoadResult } from '../../load/index.ts';
import { describeCause } from '../../load/classify.ts';
import { runInProcess } from '../helpers/in-process.ts';
import { collectRun, spawnVigil, testOutputDir } from '../helpers/cli.ts';

const dir = testOutputDir('load-run-behaviour');
const errorCodes = (stderr: string): string[] => [...stderr.matchAll(/error\[([A-Z0-9_]+)\]/g)].map((m) => m[1] as string);

async function closedPort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

test('refused port, closed model: no crash; "–" for latency, 0 achieved, the first cause, exit 1 VIGIL_LOAD_NO_RESPONSE', async () => {
  // Before the fix, undici asserted `client[kSize] === 0` and took the process down: a follow-up
  // request was dispatched from inside undici's connect-error path.
  const port = await closedPort();
  const out = join(dir, 'refused.json');
  const run = await runInProcess(['load', 'run', '--connections', '2', '--duration', '1s', '--target', `http://127.0.0.1:${port}/predict`, '--progress', 'none', '--out', out]);
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(errorCodes(run.stderr), ['VIGIL_LOAD_NO_RESPONSE']);
  assert.match(run.stderr, /ECONNREFUSED/);
  const latencyRow = run.stdout.split('\n')[run.stdout.split('\n').findIndex((l) => l.startsWith('latency (ms)')) + 1] ?? '';
  assert.deepEqual(latencyRow.trim().split(/\s+/), ['–', '–', '–', '–', '–', '–', '–', '–']);
  assert.match(run.stdout, /errors by class: connect \d+ \(first: connect ECONNREFUSED 127\.0\.0\.1:\d+\)/);
  const result = readLoadResult(out);
  assert.ok(result.summary.requests > 0);
  assert.equal(result.summary.errors.byClass.connect, result.summary.requests);
  assert.equal(result.summary.successQps, 0);
  const achieved = /^(\d+)\s+\S+\s+(\S+)/m.exec(run.stdout.split('requests  duration')[1]?.split('\n')[1] ?? '');
  assert.equal(achieved?.[2], '0.00', run.stdout);
});

test('first cause of each class (table)', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const dns = Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' });
  const wrapped = Object.assign(new Error('fetch failed'), { code: 'UND_ERR_SOCKET', cause: Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }) });
  const cases: [Parameters<typeof describeCause>[0], string][] = [
    [{ status: undefined, error: refused }, 'connect ECONNREFUSED 127.0.0.1:1'],
    [{ status: undefined, error: dns }, 'getaddrinfo ENOTFOUND x.invalid'],
    [{ status: undefined, error: wrapped }, 'ECONNRESET: other side closed'],
    [{ status: 503, error: undefined }, 'HTTP 503'],
  ];
  for (const [o, want] of cases) assert.equal(describeCause(o), want);
});

test('--out and --html are checked before the first request: exit 1 VIGIL_OUTPUT_NOT_WRITABLE, nothing sent, fast', async (t) => {
  const server = await startFixtureServer();
  t.after(() => server.close());
  const common = ['load', 'run', '--target', server.url, '--rate', '50', '--duration', '60s', '--progress', 'none'];
  // /proc refuses new entries with ENOENT: Node's recursive mkdir spun forever on that (36 min seen).
  const folder = join(dir, 'a-folder');
  mkdirSync(folder, { recursive: true });
  const cases: [string[], RegExp][] = [
    [['--out', '/proc/nope/x.json'], /--out \/proc\/nope\/x\.json cannot be written \(ENOENT\)/],
    [['--html', folder], /--html .*a-folder cannot be written \(EISDIR\)/],
    [['--out', join(dir, 'file-not-folder.txt', 'x.json')], /cannot be written \(ENOTDIR\)/],
  ];
  writeFileSync(join(dir, 'file-not-folder.txt'), 'x');
  for (const [args, message] of cases) {
    const run = await runInProcess([...common, ...args]);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(errorCodes(run.stderr), ['VIGIL_OUTPUT_NOT_WRITABLE']);
    assert.match(run.stderr, message);
  }
  assert.equal(server.requestCount(), 0);
});

test('a final write that fails goes to a temp file whose path is printed; exit 1', async (t) => {
  // The folder of --out is replaced by a plain file while the run is going: the probe passed, the write cannot.
  const base = join(dir, 'vanishing');
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const server = createHttpServer((_req, res) => {
    if (existsSync(base) && !existsSync(join(base, 'gone'))) { rmSync(base, { recursive: true, force: true }); writeFileSync(base, 'not a folder'); }
    res.end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => { server.close(); rmSync(base, { force: true }); });
  const port = (server.address() as { port: number }).port;
  const run = await runInProcess(['load', 'run', '--target', `http://127.0.0.1:${port}`, '--connections', '1', '--requests', '5', '--progress', 'none', '--out', join(base, 'r.json')]);
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(errorCodes(run.stderr), ['VIGIL_OUTPUT_WRITE_FAILED']);
  const fallback = /saved to (\S+) instead/.exec(run.stderr)?.[1];
  assert.ok(fallback && existsSync(fallback), run.stderr);
  assert.equal(readLoadResult(fallback).summary.requests, 5);
  assert.match(run.stdout, /requests\s+duration/); // the summary is still printed
  rmSync(fallback);
});

test('SIGTERM mid-run through the real binary: result and report written with aborted: true, exit 105', async (t) => {
  const server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 5 } });
  t.after(() => server.close());
  const out = join(dir, 'sigterm.json');
  const html = join(dir, 'sigterm.html');
  rmSync(out, { force: true });
  rmSync(html, { force: true });
  const child = spawnVigil(['load', 'run', '--target', server.url, '--rate', '50', '--duration', '60s', '--progress', 'plain', '--out', out, '--html', html]);
  const done = collectRun(child, 60_000);
  await new Promise<void>((resolve) => {
    let seen = '';
    child.stderr?.on('data', (d: Buffer) => { seen += d.toString(); if (/req\/s/.test(seen.split('\n').slice(1).join('\n'))) resolve(); });
  });
  child.kill('SIGTERM');
  const run = await done;
  assert.equal(run.code, 105, run.stderr);
  assert.match(run.stdout, /ABORTED/);
  assert.equal(readLoadResult(out).aborted, true);
  assert.match(readFileSync(html, 'utf8'), /<html/i);
});

test('credentials in --target are never printed, in any line or file', async (t) => {
  const server = await startFixtureServer();
  t.after(() => server.close());
  const secret = 'hunter2-pass';
  const target = server.url.replace('http://', `http://alice:${secret}@`);
  const out = join(dir, 'creds.json');
  const run = await runInProcess(['load', 'run', '--target', target, '--connections', '1', '--requests', '3', '--progress', 'plain', '--out', out]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\[REDACTED\]@127\.0\.0\.1/);
  for (const text of [run.stdout, run.stderr, readFileSync(out, 'utf8')]) assert.ok(!text.includes(secret) && !text.includes('alice:'), text);
});
