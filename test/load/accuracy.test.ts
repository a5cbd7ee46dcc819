import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { createHistogram, decodeHistogram, mergeHistogramInto, resolveLoadOptions, runLoad, summarizeHistogram } from '../../load/index.ts';
import { percentile, strictTiming } from './measure.ts';
import { spawnFixtureServer, type FixtureProcess } from '../helpers/fixture-process.ts';

const RATE = 100;
const SECONDS = 4;
/** Rounds, alternating the two clients, pooled: one hiccup in one run does not decide the comparison. */
const ROUNDS = 3;
const BODY = '{"inputs":[[1,2,3]]}';

/**
 * The reference: the simplest correct open-model client — setTimeout to each intended start,
 * one undici request, latency = completion − intended start.
 */
async function minimalClient(url: string, rate: number, n: number): Promise<number[]> {
  const pool = new Pool(url, { connections: 64 });
  const latencies: number[] = [];
  const t0 = performance.now() + 50;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const intended = t0 + (i * 1000) / rate;
    await new Promise((r) => setTimeout(r, Math.max(0, intended - performance.now())));
    pending.push(pool.request({ path: '/predict', method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } })
      .then(async (res) => { await res.body.dump(); latencies.push(performance.now() - intended); }));
  }
  await Promise.all(pending);
  await pool.close();
  return latencies;
}

interface Measurement { rows: string[]; failures: string[]; lateness: { p50: number; p99: number; max: number } }

/**
 * One measurement: alternate the two clients in rounds, the same seed before each run, so both get
 * the identical sequence of service times; pool each client's latencies and its server-side times
 * over the rounds, then check the bounds.
 */
async function measure(server: FixtureProcess): Promise<Measurement> {
  const n = RATE * SECONDS;
  const ref: number[] = [];
  const refService: number[] = [];
  const vigilService: number[] = [];
  const pooled = createHistogram();
  let requests = 0;
  let lateness = { p50: 0, p99: 0, max: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    await server.configure({ seed: 11 });
    const before = (await server.stats()).completed;
    ref.push(...await minimalClient(server.url, RATE, n));
    const mid = await server.stats();
    refService.push(...mid.serviceTimesMs.slice(before));

    await server.configure({ seed: 11 });
    const result = await runLoad(resolveLoadOptions({ target: server.url, path: '/predict', body: BODY, rate: String(RATE), requests: String(n), progress: 'none' }));
    const after = await server.stats();
    vigilService.push(...after.serviceTimesMs.slice(mid.completed));
    mergeHistogramInto(pooled, decodeHistogram(result.histogram));
    requests += result.summary.requests;
    lateness = result.summary.schedulerLatenessMs ?? lateness;
  }
  const vigilLatency = summarizeHistogram(pooled);
  assert.equal(requests, ROUNDS * n);
  assert.equal(vigilService.length, ROUNDS * n);
  assert.equal(refService.length, ROUNDS * n);

  const rows: string[] = [];
  const failures: string[] = [];
  for (const p of [50, 95, 99] as const) {
    const key = `p${p}` as 'p50' | 'p95' | 'p99';
    const vigil = vigilLatency[key];
    const server99 = percentile(vigilService, p);
    const reference = percentile(ref, p);
    const refServer = percentile(refService, p);
    rows.push(`p${p}: server ${server99.toFixed(2)} ms, vigil ${vigil.toFixed(2)} ms (+${(vigil - server99).toFixed(2)}), minimal client ${reference.toFixed(2)} ms (+${(reference - refServer).toFixed(2)} over its server)`);
    const tolerance = Math.max(2, 0.05 * server99);
    if (Math.abs(vigil - server99) > tolerance) failures.push(`${rows.at(-1)}: vigil is not within ${tolerance.toFixed(2)} ms of the server`);
    // Overheads compared on identical service-time draws: vigil adds ≤ 0.5 ms over the minimal client.
    if ((vigil - server99) - (reference - refServer) > 0.5) failures.push(`${rows.at(-1)}: vigil adds more than 0.5 ms over the minimal client`);
    // Whatever the machine: latency includes the service time, so it cannot be below it (beyond HDR's 0.1 %).
    assert.ok(vigil >= server99 * 0.999 - 0.01, `${rows.at(-1)}: below the server's own time`);
  }
  return { rows, failures, lateness };
}

/**
 * A tail percentile of 1,200 loopback requests on 2 cores moves by a millisecond when the OS
 * schedules the server and the test on one core for a moment, which is the size of the bounds. So
 * a measurement that misses them is taken again, up to ATTEMPTS times; the bounds themselves are
 * unchanged and the last measurement must meet all of them (a real regression misses every time).
 */
const ATTEMPTS = 3;

test('percentile accuracy: vigil vs the server\'s own service times and vs a minimal undici client', async (t) => {
  const server = await spawnFixtureServer(['--service-time', 'lognormal:median=20ms,sigma=0.5', '--seed', '11']);
  t.after(() => server.close());
  // Warm up the server process, undici and the JIT before anything is measured.
  await minimalClient(server.url, RATE, RATE);
  await runLoad(resolveLoadOptions({ target: server.url, path: '/predict', body: BODY, rate: String(RATE), requests: String(RATE), progress: 'none' }));

  let m = await measure(server);
  for (let attempt = 2; attempt <= ATTEMPTS && m.failures.length > 0; attempt++) {
    t.diagnostic(`attempt ${attempt - 1} missed the bounds, measuring again: ${m.failures.join(' | ')}`);
    m = await measure(server);
  }
  for (const r of m.rows) t.diagnostic(r);
  t.diagnostic(`vigil scheduler lateness (last round): ${JSON.stringify(m.lateness)} ms`);
  const timing = strictTiming();
  if (timing.strict) assert.deepEqual(m.failures, []);
  else if (m.failures.length > 0) t.skip(`NOT ASSERTED (${timing.why}): ${m.failures.join(' | ')}`);
});
