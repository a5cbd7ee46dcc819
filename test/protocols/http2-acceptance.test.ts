/**
 * The HTTP/2 acceptance: one connection carrying 100 concurrent streams sustains the same
 * request rate as HTTP/1.1 with 100 connections, with 0 drops. Two fixture servers alike but for
 * the protocol (h2c with prior knowledge, HTTP/1.1) with a fixed 400 ms service time; the open
 * model at 200 req/s then needs 80 requests in flight. --max-in-flight 250 makes a transport that
 * cannot carry them fail visibly: its queue grows past 250 and arrivals are dropped (checked here
 * with --max-streams 10, which carries 25 req/s), while leaving room for a stall of the shared
 * machine of up to ~0.8 s. A pair of runs that misses (a longer stall) is run once more, as the
 * accuracy tests pool a second sample: a transport that cannot carry the rate misses every time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { resolveLoadOptions, runLoad, type LoadInput, type LoadResult } from '../../load/index.ts';
import { strictTiming } from '../load/measure.ts';

const RATE = 200;
const SECONDS = 3;
const SERVICE_MS = 400;

test('HTTP/2 with 1 connection × 100 streams sustains the rate of HTTP/1.1 with 100 connections, 0 drops (200 req/s × 400 ms = 80 in flight)', { timeout: 120_000 }, async (t) => {
  const h1Server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: SERVICE_MS } });
  const h2Server = await startFixtureServer({ http2: true, serviceTime: { kind: 'fixed', ms: SERVICE_MS } });
  t.after(async () => { await h1Server.close(); await h2Server.close(); });
  const HTTP1: LoadInput = { target: h1Server.url, maxConnections: '100' };
  const HTTP2: LoadInput = { target: h2Server.url, http2: true, maxConnections: '1', maxStreams: '100' };
  // The first second opens the connections (and, on the first run, warms up the JIT): not measured.
  const run = (input: LoadInput): Promise<LoadResult> => runLoad(resolveLoadOptions({
    method: 'POST', path: '/predict', body: '{"inputs":[[1, 2]]}', rate: String(RATE), duration: `${SECONDS}s`, warmup: '1s', maxInFlight: '250', progress: 'none', ...input,
  }));
  await run({ ...HTTP1, duration: '1s' });
  await run({ ...HTTP2, duration: '1s' });
  const offered = RATE * SECONDS;
  const missed = (name: string, r: LoadResult, protocol: string): string[] => {
    const s = r.summary;
    t.diagnostic(`${name}: ${s.requests} requests, ${s.qps.toFixed(1)} req/s over ${s.durationS} s (offered ${RATE}), dropped ${s.droppedIterations}, errors ${s.errors.total}, p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms`);
    assert.equal(r.endpoints['POST /predict']?.protocol, protocol);
    assert.ok(s.latencyMs.p50 >= SERVICE_MS);
    const out: string[] = [];
    if (s.droppedIterations !== 0) out.push(`${name} dropped ${s.droppedIterations} arrivals`);
    if (s.errors.total !== 0) out.push(`${name} errors ${JSON.stringify(s.errors)}`);
    if (Math.abs(s.requests - offered) > 2) out.push(`${name} completed ${s.requests} of the ${offered} measured arrivals`);
    if (s.status[200] !== s.requests) out.push(`${name} statuses ${JSON.stringify(s.status)}`);
    return out;
  };
  let h1 = await run(HTTP1);
  let h2 = await run(HTTP2);
  let failures = [...missed('HTTP/1.1', h1, 'http/1.1'), ...missed('HTTP/2', h2, 'h2c')];
  if (failures.length > 0) {
    t.diagnostic(`missed on the first pair, once more: ${failures.join('; ')}`);
    h1 = await run(HTTP1);
    h2 = await run(HTTP2);
    failures = [...missed('HTTP/1.1', h1, 'http/1.1'), ...missed('HTTP/2', h2, 'h2c')];
  }
  assert.deepEqual(failures, []);
  // The same achieved rate (completions over the run, its drain included).
  const rates = `HTTP/1.1 ${h1.summary.qps.toFixed(1)} req/s, HTTP/2 ${h2.summary.qps.toFixed(1)} req/s`;
  t.diagnostic(rates);
  const same = Math.abs(h2.summary.qps - h1.summary.qps) <= 0.1 * h1.summary.qps;
  const timing = strictTiming();
  if (timing.strict) assert.ok(same, rates);
  else if (!same) t.skip(`rates NOT COMPARED (${timing.why}): ${rates}`);

  // The check can fail: one connection of 10 streams carries 25 req/s, not 200.
  const narrow = await run({ ...HTTP2, maxStreams: '10' });
  assert.ok(narrow.summary.droppedIterations > 0, `a 10-stream connection dropped nothing: ${JSON.stringify(narrow.summary)}`);
});
