import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHistogram, decodeHistogram, mergeHistogramInto, resolveLoadOptions, runLoad, summarizeHistogram } from '../../load/index.ts';
import { percentile, strictTiming } from '../load/measure.ts';
import { spawnGrpcFixtureServer, type GrpcFixtureProcess } from '../helpers/grpc-fixture-process.ts';

const RATE = 200;
const SECONDS = 3;
const ROW = '[[1, 2, 3]]';

const run = (server: GrpcFixtureProcess, requests: number, extra: Record<string, string> = {}): ReturnType<typeof runLoad> =>
  runLoad(resolveLoadOptions({ target: server.url, protocol: 'kserve-v2', model: 'fixture', inputs: ROW, rate: String(RATE), requests: String(requests), progress: 'none', ...extra }));

/**
 * A tail percentile of a few thousand loopback calls on 2 shared cores moves by a few tenths of a
 * millisecond from run to run, and one scheduling hiccup of the OS can move a short run's P99 by
 * more. So, as the HTTP accuracy test does, the bound is checked on pooled samples: when it is
 * missed, the test measures again (the same seeded service times) and adds the new calls to the
 * pool, up to ATTEMPTS times. The bound is unchanged, and compared against the server's records of
 * the very calls vigil timed; a real regression (vigil consistently slower) misses on every pool.
 */
const ATTEMPTS = 3;

test('gRPC open model at 200 req/s: P50/P95/P99 within max(3 ms, 8 %) of the server\'s own service times', async (t) => {
  const server = await spawnGrpcFixtureServer(['--service-time', 'lognormal:median=20ms,sigma=0.5', '--seed', '11']);
  t.after(() => server.close());
  await run(server, RATE); // warm up the server process, grpc-js and the JIT
  const vigil = createHistogram();
  const serverMs: number[] = [];
  const measure = async (): Promise<void> => {
    await server.configure({ seed: 11 });
    const before = (await server.stats()).completed;
    const result = await run(server, RATE * SECONDS);
    assert.equal(result.summary.requests, RATE * SECONDS);
    assert.deepEqual(result.summary.status, { OK: RATE * SECONDS });
    assert.equal(result.summary.droppedIterations, 0);
    mergeHistogramInto(vigil, decodeHistogram(result.histogram));
    serverMs.push(...(await server.stats()).serviceTimesMs.slice(before));
    assert.equal(vigil.totalCount, serverMs.length, 'the server recorded exactly the calls vigil timed');
  };
  const check = (): { rows: string[]; failures: string[] } => {
    const v = summarizeHistogram(vigil);
    const rows: string[] = [];
    const failures: string[] = [];
    for (const p of [50, 95, 99] as const) {
      const s = percentile(serverMs, p);
      const mine = v[`p${p}`];
      const tolerance = Math.max(3, 0.08 * s);
      rows.push(`p${p}: server ${s.toFixed(2)} ms, vigil ${mine.toFixed(2)} ms (${mine >= s ? '+' : ''}${(mine - s).toFixed(2)}, bound ±${tolerance.toFixed(2)})`);
      // Latency includes the service time whatever the machine (beyond HDR's 0.1 %).
      assert.ok(mine >= s * 0.999 - 0.01, `p${p} below the server's own time`);
      if (Math.abs(mine - s) > tolerance) failures.push(rows.at(-1) as string);
    }
    return { rows, failures };
  };
  await measure();
  let m = check();
  for (let attempt = 2; attempt <= ATTEMPTS && m.failures.length > 0; attempt++) {
    t.diagnostic(`after ${attempt - 1} attempt(s) (${serverMs.length} calls) a bound is missed, adding samples: ${m.failures.join(' | ')}`);
    await measure();
    m = check();
  }
  for (const r of m.rows) t.diagnostic(r);
  // As for HTTP (test/load/accuracy.test.ts): asserted whenever the machine is not oversubscribed.
  const timing = strictTiming();
  if (timing.strict) assert.deepEqual(m.failures, []);
  else if (m.failures.length > 0) t.skip(`NOT ASSERTED (${timing.why}): ${m.failures.join(' | ')}`);
});

test('a stalling gRPC server shows its stalls at P99 (latency from the intended start)', async (t) => {
  const server = await spawnGrpcFixtureServer(['--service-time', 'fixed:5ms', '--stall', 'every=1s,for=300ms']);
  t.after(() => server.close());
  const result = await run(server, RATE, { rate: String(RATE / 2) });
  assert.equal(result.summary.errors.total, 0);
  assert.equal(result.summary.droppedIterations, 0);
  const s = await server.stats();
  // ~30 % of arrivals land in a 300 ms stall and wait for its end: P99 near 300 ms, P50 near 5 ms.
  t.diagnostic(`p50 ${result.summary.latencyMs.p50} ms, p99 ${result.summary.latencyMs.p99} ms; server residence p99 ${percentile(s.residenceTimesMs, 99).toFixed(1)} ms`);
  assert.ok(result.summary.latencyMs.p99 >= 200, `p99 ${result.summary.latencyMs.p99} ms`);
  const timing = strictTiming();
  if (timing.strict) assert.ok(result.summary.latencyMs.p50 < 150, `p50 ${result.summary.latencyMs.p50} ms`);
  assert.ok(result.summary.latencyMs.p99 >= percentile(s.residenceTimesMs, 99) * 0.999 - 0.01);
});
