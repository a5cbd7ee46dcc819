import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { decodeHistogram, readLoadResult } from '../../load/index.ts';
import { collectRun, runVigil, spawnVigil, testOutputDir } from '../helpers/cli.ts';
import { PREDICT_REQUESTS_YAML } from '../helpers/scenario.ts';
import { runInProcess } from '../helpers/in-process.ts';

/** Runs the CLI in-process (same code path as bin/vigil.js minus process start-up, which costs seconds here). */
const dir = testOutputDir('load-cli');
const errorCode = (stderr: string): string | undefined => /error\[([A-Z0-9_]+)\]/.exec(stderr)?.[1];

test('thresholds through the real binary: a failing one exits 99, passing ones exit 0, each printed with its value', async (t) => {
  const server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 20 } });
  t.after(() => server.close());
  const common = ['load', 'run', '--target', server.url, '--path', '/predict', '--body', '{"inputs":[[1]]}', '--rate', '50', '--duration', '1s', '--progress', 'none'];
  const fail = await runVigil([...common, '--threshold', 'p50<5ms', '--threshold', 'error_rate<1%']);
  assert.equal(fail.code, 99, fail.stderr);
  assert.match(fail.stdout, /FAIL\s+p50<5ms\s+measured (\d+(\.\d+)?) ms/);
  assert.match(fail.stdout, /PASS\s+error_rate<1%\s+measured 0%/);
  const measured = Number(/FAIL\s+p50<5ms\s+measured (\d+(?:\.\d+)?)/.exec(fail.stdout)?.[1]);
  assert.ok(measured >= 20, `p50 ${measured} ms cannot be below the 20 ms service time`);
  const out = join(dir, 'pass.json');
  rmSync(out, { force: true });
  const pass = await runVigil([...common, '--threshold', 'p50<5s', '--threshold', 'qps>10', '--out', out]);
  assert.equal(pass.code, 0, pass.stderr);
  const result = readLoadResult(out);
  assert.deepEqual(result.thresholds.map((x) => [x.expr, x.ok]), [['p50<5s', true], ['qps>10', true]]);
  assert.equal(result.summary.requests, 50);
});

test('--json prints the result on stdout', async (t) => {
  const server = await startFixtureServer();
  t.after(() => server.close());
  const run = await runInProcess(['load', 'run', '--target', server.url, '--path', '/predict', '--connections', '2', '--requests', '20', '--json', '--progress', 'none']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { schema: string; summary: { requests: number } };
  assert.equal(result.schema, 'vigil.load.result/v1');
  assert.equal(result.summary.requests, 20);
});

test('SIGINT mid-run: sending stops, the results file is written with aborted: true and the requests so far, exit 105', async (t) => {
  const server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 5 } });
  t.after(() => server.close());
  const out = join(dir, 'aborted.json');
  rmSync(out, { force: true });
  const child = spawnVigil(['load', 'run', '--target', server.url, '--path', '/predict', '--body', '{"inputs":[[1]]}', '--rate', '100', '--duration', '60s', '--progress', 'plain', '--out', out]);
  const done = collectRun(child, 60_000);
  // The first plain progress line comes after the first second of traffic (~100 requests); then interrupt.
  await new Promise<void>((resolve) => {
    let seen = '';
    child.stderr?.on('data', (d: Buffer) => { seen += d.toString(); if (/req\/s/.test(seen.split('\n').slice(1).join('\n'))) resolve(); });
  });
  child.kill('SIGINT');
  const run = await done;
  assert.equal(run.code, 105, run.stderr); // k6's exit code for an external abort
  assert.match(run.stderr, /SIGINT: stopping/);
  assert.ok(existsSync(out));
  const result = readLoadResult(out);
  assert.equal(result.aborted, true);
  assert.ok(result.summary.requests >= 50);
  assert.equal(result.summary.requests, server.requestCount(), 'every request the server answered is in the file');
  assert.equal(decodeHistogram(result.histogram).totalCount, result.summary.requests);
  assert.ok(result.summary.durationS < 30);
});

test('bad input through the real binary: an unknown flag', async () => {
  const run = await runVigil(['load', 'run', '--target', 'http://127.0.0.1:9', '--bogus']);
  assert.equal(run.code, 1);
  assert.equal(errorCode(run.stderr), 'VIGIL_CLI_UNKNOWN_OPTION');
});

test('bad input: exact error codes, exit 1, nothing sent', async () => {
  const cases: [string[], string][] = [
    [['--target', 'http://127.0.0.1:9', '--rate', '0'], 'VIGIL_LOAD_BAD_RATE'],
    [['--target', 'http://127.0.0.1:9', '--rate', 'abc'], 'VIGIL_LOAD_BAD_RATE'],
    [['--target', 'http://127.0.0.1:9', '--rate', '10', '--connections', '5'], 'VIGIL_LOAD_CONFLICTING_MODEL'],
    [['--target', 'http://127.0.0.1:9', '--connections', '1.5'], 'VIGIL_LOAD_BAD_CONNECTIONS'],
    [['--target', 'http://127.0.0.1:9', '--stages', '30s-100'], 'VIGIL_LOAD_BAD_STAGES'],
    [['--target', 'http://127.0.0.1:9', '--threshold', 'p98<1ms'], 'VIGIL_LOAD_BAD_THRESHOLD'],
    [['--target', 'http://127.0.0.1:9', '--duration', 'soon'], 'VIGIL_BAD_DURATION'],
    [['--target', 'ftp://x'], 'VIGIL_LOAD_BAD_TARGET'],
    [['--path', '/predict'], 'VIGIL_LOAD_NO_TARGET'],
  ];
  for (const [args, code] of cases) {
    const run = await runInProcess(['load', 'run', ...args, '--progress', 'none']);
    assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(errorCode(run.stderr), code, `${args.join(' ')}: ${run.stderr}`);
  }
});

test('a malformed replay file is rejected before the run with file:line', async () => {
  const file = join(dir, 'bad.jsonl');
  writeFileSync(file, '{"path":"/ok"}\n{"path":"/x","body":1,"body_base64":"AA=="}\n');
  const run = await runInProcess(['load', 'run', '--target', 'http://127.0.0.1:9', '--replay', file, '--rate', '10']);
  assert.equal(run.code, 1);
  assert.equal(errorCode(run.stderr), 'VIGIL_LOAD_REPLAY_MALFORMED');
  assert.match(run.stderr, /bad\.jsonl:2: "body" and "body_base64" exclude each other/);
});

test('unreachable target: connect errors are counted and classified, and the run completes', async () => {
  const port = await closedPort();
  const out = join(dir, 'unreachable.json');
  const run = await runInProcess(['load', 'run', '--target', `http://127.0.0.1:${port}`, '--rate', '20', '--duration', '1s', '--progress', 'none', '--out', out, '--threshold', 'error_rate<50%']);
  assert.equal(run.code, 99, run.stderr);
  const result = readLoadResult(out);
  assert.equal(result.summary.requests, 20);
  assert.equal(result.summary.errors.byClass.connect, 20);
  assert.equal(result.summary.errors.rate, 1);
  assert.deepEqual(result.summary.status, {});
  assert.match(run.stdout, /errors by class: connect 20/);
});

test('a scenario file carries the run; flags override it; unknown keys are rejected with their path', async (t) => {
  const server = await startFixtureServer();
  t.after(() => server.close());
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, [
    `target: ${server.url}`,
    ...PREDICT_REQUESTS_YAML,
    'rate: 1000',
    'duration: 30s',
    'thresholds: ["error_rate<1%"]',
  ].join('\n'));
  const run = await runInProcess(['load', 'run', file, '--rate', '40', '--duration', '500ms', '--json', '--progress', 'none']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { config: { rate: number }; summary: { requests: number }; endpoints: Record<string, unknown>; thresholds: unknown[] };
  assert.equal(result.config.rate, 40);
  assert.equal(result.summary.requests, 20);
  assert.deepEqual(Object.keys(result.endpoints), ['predict']);
  assert.equal(result.thresholds.length, 1);
  const bad = join(dir, 'bad-scenario.yaml');
  writeFileSync(bad, `target: ${server.url}\nstages:\n  - { duration: 1s, target: 10, colour: red }\n`);
  const badRun = await runInProcess(['load', 'run', bad]);
  assert.equal(errorCode(badRun.stderr), 'VIGIL_CONFIG_INVALID');
  assert.match(badRun.stderr, /stages\[0\]/);
  assert.ok(readFileSync(bad, 'utf8').length > 0);
});

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}
