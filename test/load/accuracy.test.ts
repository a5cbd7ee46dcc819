import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from 'undici';
import { createHistogram, decodeHistogram, mergeHistogramInto, resolveLoadOptions, runLoad, summarizeHistogram, type Histogram } from '../../load/index.ts';
import { openLoopLatencies, percentile, strictTiming } from './measure.ts';
import { spawnFixtureServer, type FixtureProcess } from '../helpers/fixture-process.ts';

/** Well below the fixture server's capacity (its service time is a timer, not CPU). */
const RATE = 200;
const SECONDS = 3;
/** Short rounds, alternating the two clients, pooled: one hiccup in one run does not decide the comparison. */
const ROUNDS = 4;
const BODY = '{"inputs":[[1,2,3]]}';

/**
 * The reference: the simplest correct open-model client — setTimeout to each intended start, never
 * sending before it, one undici request, latency = completion − intended start. Node's timers run on
 * libuv's millisecond-truncated loop clock: a setTimeout fires up to ~1 ms *before* the requested
 * time (measured here: 84 % of wake-ups early, median 0.37 ms), and a client that sent then would
 * start the server's clock early and understate every latency. So it sleeps again when woken early
 * (which oversleeps: Node makes any shorter sleep a whole millisecond; its lateness is reported).
 * Of the correct minimal clients this is the tighter reference here: one that yields with
 * setImmediate through the last millisecond instead read 2.1–2.5 ms over the server's P50 and
 * 1.6–3.1 ms over its P99 (its unbudgeted yield loop takes a core from the server), this one
 * ~1.5–1.8 ms and ~1.0–1.6 ms — close to the ~1.4 ms and ~2.5 ms the issue describes.
 */
async function minimalClient(url: string, rate: number, n: number, lateness: number[] = []): Promise<number[]> {
  const pool = new Pool(url, { connections: 64 });
  const latencies = await openLoopLatencies(rate, n, async () => {
    const res = await pool.request({ path: '/predict', method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } });
    await res.body.dump();
  }, lateness);
  await pool.close();
  return latencies;
}

/** Everything measured so far, pooled over rounds (and over attempts, see ATTEMPTS). */
interface Samples { ref: number[]; refLateness: number[]; refService: number[]; vigilService: number[]; vigil: Histogram; lateness: { p50: number; p99: number; max: number } }

/**
 * One attempt: alternate the two clients in rounds, the same seed before each run, so both get
 * the identical sequence of service times, and add each client's latencies and its server-side
 * times to the pool.
 */
async function measureInto(server: FixtureProcess, s: Samples): Promise<void> {
  const n = RATE * SECONDS;
  for (let round = 0; round < ROUNDS; round++) {
    await server.configure({ seed: 11 });
    const before = (await server.stats()).completed;
    s.ref.push(...await minimalClient(server.url, RATE, n, s.refLateness));
    const mid = await server.stats();
    s.refService.push(...mid.serviceTimesMs.slice(before));

    await server.configure({ seed: 11 });
    const result = await runLoad(resolveLoadOptions({ target: server.url, path: '/predict', body: BODY, rate: String(RATE), requests: String(n), progress: 'none' }));
    const after = await server.stats();
    s.vigilService.push(...after.serviceTimesMs.slice(mid.completed));
    mergeHistogramInto(s.vigil, decodeHistogram(result.histogram));
    assert.equal(result.summary.requests, n);
    s.lateness = result.summary.schedulerLatenessMs ?? s.lateness;
  }
  assert.equal(s.vigil.totalCount, s.vigilService.length);
  assert.equal(s.ref.length, s.refService.length);
}

/** The bounds of the issue, checked on the pooled samples: rows to report and the bounds missed. */
function check(s: Samples): { rows: string[]; failures: string[] } {
  const vigilLatency = summarizeHistogram(s.vigil);
  const rows: string[] = [];
  const failures: string[] = [];
  for (const p of [50, 95, 99] as const) {
    const key = `p${p}` as 'p50' | 'p95' | 'p99';
    const vigil = vigilLatency[key];
    const server = percentile(s.vigilService, p);
    const reference = percentile(s.ref, p);
    const refServer = percentile(s.refService, p);
    rows.push(`p${p}: server ${server.toFixed(2)} ms, vigil ${vigil.toFixed(2)} ms (+${(vigil - server).toFixed(2)}), minimal client ${reference.toFixed(2)} ms (+${(reference - refServer).toFixed(2)} over its server)`);
    const tolerance = Math.max(2, 0.05 * server);
    if (Math.abs(vigil - server) > tolerance) failures.push(`${rows.at(-1)}: vigil is not within ${tolerance.toFixed(2)} ms of the server`);
    // Overheads compared on identical service-time draws: vigil adds ≤ 0.5 ms over the minimal client.
    if ((vigil - server) - (reference - refServer) > 0.5) failures.push(`${rows.at(-1)}: vigil adds more than 0.5 ms over the minimal client`);
    // Whatever the machine: latency includes the service time, so it cannot be below it (beyond HDR's 0.1 %).
    assert.ok(vigil >= server * 0.999 - 0.01, `${rows.at(-1)}: below the server's own time`);
  }
  return { rows, failures };
}

/**
 * A tail percentile of a few thousand loopback requests on 2 cores moves by a few tenths of a
 * millisecond from run to run (the OS schedules the server and the test on one core for a moment;
 * the minimal client's own timer lateness varies), the size of the 0.5 ms bound on a difference of
 * two such percentiles. So when the pooled samples miss a bound, the test measures again and adds
 * the new samples to the pool — a larger sample, a tighter estimate — up to ATTEMPTS times. The
 * bounds are unchanged and a real regression (vigil consistently slower) misses on every pool.
 */
const ATTEMPTS = 3;

test('percentile accuracy: vigil vs the server\'s own service times and vs a minimal undici client', async (t) => {
  const server = await spawnFixtureServer(['--service-time', 'lognormal:median=20ms,sigma=0.5', '--seed', '11']);
  t.after(() => server.close());
  // Warm up the server process, undici and the JIT before anything is measured.
  await minimalClient(server.url, RATE, RATE);
  await runLoad(resolveLoadOptions({ target: server.url, path: '/predict', body: BODY, rate: String(RATE), requests: String(RATE), progress: 'none' }));

  const samples: Samples = { ref: [], refLateness: [], refService: [], vigilService: [], vigil: createHistogram(), lateness: { p50: 0, p99: 0, max: 0 } };
  await measureInto(server, samples);
  let m = check(samples);
  for (let attempt = 2; attempt <= ATTEMPTS && m.failures.length > 0; attempt++) {
    t.diagnostic(`after ${attempt - 1} attempt(s) (${samples.ref.length} + ${samples.vigilService.length} requests) a bound is missed, adding samples: ${m.failures.join(' | ')}`);
    await measureInto(server, samples);
    m = check(samples);
  }
  for (const r of m.rows) t.diagnostic(r);
  t.diagnostic(`vigil scheduler lateness (last round): ${JSON.stringify(samples.lateness)} ms; minimal client lateness (all rounds): p50 ${percentile(samples.refLateness, 50).toFixed(3)}, p99 ${percentile(samples.refLateness, 99).toFixed(3)} ms`);
  const timing = strictTiming();
  if (timing.strict) assert.deepEqual(m.failures, []);
  else if (m.failures.length > 0) t.skip(`NOT ASSERTED (${timing.why}): ${m.failures.join(' | ')}`);
});
