import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { decodeHistogram, readLoadResult, resolveLoadOptions, runLoad, stagesSchedule, writeLoadResult, type LoadInput } from '../../load/index.ts';
import { testOutputDir } from '../helpers/cli.ts';

const body = '{"inputs":[[1,2,3]]}';
const input = (target: string, extra: Partial<LoadInput>): LoadInput => ({ target, path: '/predict', body, progress: 'none', ...extra });

test('closed model: exactly --requests measured requests, all seen by the server; result file round-trips', async (t) => {
  const server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 2 } });
  t.after(() => server.close());
  const result = await runLoad(resolveLoadOptions(input(server.url, { connections: '4', requests: '200' })));
  assert.equal(result.summary.requests, 200);
  assert.equal(server.requestCount(), 200);
  assert.equal(result.summary.status['200'], 200);
  assert.equal(decodeHistogram(result.histogram).totalCount, 200);
  assert.equal(result.endpoints['POST /predict']?.requests, 200);
  assert.equal(result.intervals.reduce((n, i) => n + i.requests, 0), 200);
  assert.equal(result.summary.bytesOut > 200 * body.length, true);
  // Latency can never be below the service time the server gave (2 ms).
  assert.ok(result.summary.latencyMs.min >= 2, `min ${result.summary.latencyMs.min}`);
  const file = join(testOutputDir('load-engine'), 'closed.json');
  writeLoadResult(file, result);
  assert.deepEqual(readLoadResult(file), result);
});

test('closed model: N connections, one request in flight on each, never more (kept alive across requests)', async (t) => {
  let connections = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    req.resume();
    setTimeout(() => { inFlight--; res.end('{}'); }, 5); // long enough that the 5 loops overlap even on a busy machine
  });
  server.on('connection', () => { connections++; });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  const { port } = server.address() as AddressInfo;
  const result = await runLoad(resolveLoadOptions(input(`http://127.0.0.1:${port}`, { connections: '5', requests: '300' })));
  assert.equal(result.summary.requests, 300);
  assert.equal(connections, 5);
  assert.equal(maxInFlight, 5);
});

test('open model: warmup arrivals are sent but excluded from every statistic', async (t) => {
  const server = await startFixtureServer();
  t.after(() => server.close());
  const result = await runLoad(resolveLoadOptions(input(server.url, { rate: '100', warmup: '1s', duration: '1s' })));
  // Arrivals at i × 10 ms: 100 in the warmup second, 100 measured.
  assert.equal(server.requestCount(), 200);
  assert.equal(result.summary.requests, 100);
  assert.equal(decodeHistogram(result.histogram).totalCount, 100);
  assert.equal(result.summary.offeredRate, 100);
  assert.equal(result.config.warmupS, 1);
});

test('error classes: injected 500s are http5xx and destroyed sockets are reset, matching the server\'s own counts', async (t) => {
  const server = await startFixtureServer({ seed: 3, errorRate: 0.2, resetRate: 0.1, serviceTime: { kind: 'fixed', ms: 1 } });
  t.after(() => server.close());
  const result = await runLoad(resolveLoadOptions(input(server.url, { rate: '300', duration: '1s' })));
  const stats = (await (await fetch(`${server.url}/__fixture/stats`)).json()) as { outcomes: { ok: number; error: number; reset: number } };
  const e = result.summary.errors.byClass;
  assert.equal(result.summary.requests, 300);
  assert.equal(e.http5xx, stats.outcomes.error);
  assert.equal(e.reset, stats.outcomes.reset);
  assert.equal(result.summary.status['200'], stats.outcomes.ok);
  assert.equal(result.summary.status['500'], stats.outcomes.error);
  assert.equal(result.summary.errors.total, stats.outcomes.error + stats.outcomes.reset);
  assert.equal(result.summary.errors.rate, result.summary.errors.total / 300);
  // Responses (any status) are in the histogram; transport errors are not.
  assert.equal(decodeHistogram(result.histogram).totalCount, 300 - stats.outcomes.reset);
});

test('timeouts are classified as timeout; max-in-flight drops arrivals instead of slowing down', async (t) => {
  const server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 1500 } });
  t.after(() => server.close());
  const result = await runLoad(resolveLoadOptions(input(server.url, { rate: '50', duration: '1s', timeout: '300ms', maxInFlight: '5' })));
  const s = result.summary;
  // 50 arrivals; 5 fit in flight (none completes within the 1 s window), the other 45 are dropped.
  assert.equal(s.droppedIterations + s.requests, 50);
  assert.equal(s.requests, server.requestCount());
  assert.ok(s.droppedIterations > 0);
  assert.equal(s.errors.byClass.timeout, s.requests);
});

test('stages: the number of requests sent is the integral of the ramp', async (t) => {
  const server = await startFixtureServer();
  t.after(() => server.close());
  const result = await runLoad(resolveLoadOptions(input(server.url, { stages: '1s:100,1s:100' })));
  const schedule = stagesSchedule([{ durationMs: 1000, target: 100 }, { durationMs: 1000, target: 100 }]);
  let expected = 0;
  while (schedule.at(expected) !== undefined) expected++;
  assert.equal(expected, 150); // 50 on the ramp + 100 on the plateau
  assert.equal(server.requestCount(), expected);
  assert.equal(result.summary.requests, expected);
  assert.equal(result.config.model, 'stages');
});

test('original timing: a replay file is sent once in timestamp order, time-scaled, then the run ends', async (t) => {
  const server = await startFixtureServer();
  t.after(() => server.close());
  const file = join(testOutputDir('load-engine'), 'timed.jsonl');
  const lines = [0.9, 0.1, 0.5, 0.3].map((ts, i) => JSON.stringify({ method: 'POST', path: `/predict`, body: { inputs: [[i]] }, t: ts, name: `r${i}` }));
  writeFileSync(file, `${lines.join('\n')}\n`);
  const result = await runLoad(resolveLoadOptions({ target: server.url, replay: file, timing: 'original', speed: '2', progress: 'none' }));
  assert.equal(server.requestCount(), 4);
  assert.equal(result.summary.requests, 4);
  assert.deepEqual(Object.keys(result.endpoints), ['r0', 'r1', 'r2', 'r3']);
  assert.equal(result.config['speed'], 2);
});

test('an abort signal stops sending and returns a complete result marked aborted', async (t) => {
  const server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 200 } });
  t.after(() => server.close());
  const controller = new AbortController();
  let seen = 0;
  const result = await runLoad(resolveLoadOptions(input(server.url, { rate: '100', duration: '30s' })), {
    signal: controller.signal,
    onInterval: () => { if (++seen === 1) controller.abort(); },
  });
  assert.equal(result.aborted, true);
  // Everything the server answered was recorded: in-flight requests were drained, not dropped.
  assert.equal(result.summary.requests, server.requestCount());
  assert.ok(result.summary.requests >= 100, `requests ${result.summary.requests}`);
  assert.ok(result.summary.durationS < 5);
});

test('a header undici cannot send is rejected before the run starts (coded error naming the request and the header), nothing is sent', async (t) => {
  const server = await startFixtureServer();
  t.after(() => server.close());
  for (const header of ['x-a: b\rc', 'x-b: line\nbreak']) {
    await assert.rejects(runLoad(resolveLoadOptions(input(server.url, { connections: '2', requests: '50', header: [header] }))), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'VIGIL_LOAD_BAD_REQUEST_HEADER');
      assert.match(err.message, /request 1 \(POST \/predict\): header "x-[ab]"/);
      return true;
    });
  }
  assert.equal(server.requestCount(), 0);
});
