import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { createHistogram, decodeHistogram, mergeHistogramInto, resolveLoadOptions, runLoad, summarizeHistogram, type Histogram } from '../../load/index.ts';
import { openLoopLatencies, percentile, strictTiming } from '../load/measure.ts';
import { spawnGrpcFixtureServer, type GrpcFixtureProcess } from '../helpers/grpc-fixture-process.ts';

const RATE = 200;
const SECONDS = 3;
const ROW = '[[1, 2, 3]]';
const INFER = '/inference.GRPCInferenceService/ModelInfer';

const run = (server: GrpcFixtureProcess, requests: number, extra: Record<string, string> = {}): ReturnType<typeof runLoad> =>
  runLoad(resolveLoadOptions({ target: server.url, protocol: 'kserve-v2', model: 'fixture', inputs: ROW, rate: String(RATE), requests: String(requests), progress: 'none', ...extra }));

/**
 * The reference, as for HTTP (test/load/accuracy.test.ts): the simplest correct open-model gRPC
 * client — setTimeout to each intended start (sleeping again when Node wakes it early), one
 * grpc-js unary call with the same encoded ModelInfer bytes, latency = completion − intended start.
 */
async function minimalClient(server: GrpcFixtureProcess, body: Buffer, n: number): Promise<number[]> {
  const client = new Client(server.url.replace(/^grpc:\/\//, ''), credentials.createInsecure());
  const id = (b: Buffer): Buffer => b;
  const latencies = await openLoopLatencies(RATE, n, () => new Promise<void>((resolve, reject) => {
    client.makeUnaryRequest(INFER, id, id, body, new Metadata(), {}, (err) => (err ? reject(err) : resolve()));
  }));
  client.close();
  return latencies;
}

/**
 * A tail percentile of a few thousand loopback calls on 2 shared cores moves by a few tenths of a
 * millisecond from run to run, and one scheduling hiccup of the OS can move a short run's P99 by
 * more. So, as the HTTP accuracy test does, the bounds are checked on pooled samples: when one is
 * missed, the test measures again (the same seeded service times for both clients, alternating)
 * and adds the new calls to the pool, up to ATTEMPTS times. The bounds are unchanged and compared
 * against the server's records of the very calls each client timed; a real regression (vigil
 * consistently slower) misses on every pool.
 */
const ATTEMPTS = 3;

interface Samples { vigil: Histogram; vigilServer: number[]; ref: number[]; refServer: number[] }

test('gRPC open model at 200 req/s: P50/P95/P99 within max(3 ms, 8 %) of the server\'s own service times, and no further from them than a minimal grpc-js client', async (t) => {
  const server = await spawnGrpcFixtureServer(['--service-time', 'lognormal:median=20ms,sigma=0.5', '--seed', '11']);
  t.after(() => server.close());
  const body = resolveLoadOptions({ target: server.url, protocol: 'kserve-v2', model: 'fixture', inputs: ROW }).source.at(0).body as Buffer;
  await run(server, RATE); // warm up the server process, grpc-js and the JIT
  await minimalClient(server, body, RATE);
  const s: Samples = { vigil: createHistogram(), vigilServer: [], ref: [], refServer: [] };
  const measure = async (): Promise<void> => {
    await server.configure({ seed: 11 });
    const before = (await server.stats()).completed;
    s.ref.push(...await minimalClient(server, body, RATE * SECONDS));
    const mid = (await server.stats()).completed;
    s.refServer.push(...(await server.stats()).serviceTimesMs.slice(before, mid));

    await server.configure({ seed: 11 });
    const result = await run(server, RATE * SECONDS);
    assert.equal(result.summary.requests, RATE * SECONDS);
    assert.deepEqual(result.summary.status, { OK: RATE * SECONDS });
    assert.equal(result.summary.droppedIterations, 0);
    mergeHistogramInto(s.vigil, decodeHistogram(result.histogram));
    s.vigilServer.push(...(await server.stats()).serviceTimesMs.slice(mid));
    assert.equal(s.vigil.totalCount, s.vigilServer.length, 'the server recorded exactly the calls vigil timed');
    assert.equal(s.ref.length, s.refServer.length);
  };
  /**
   * `absolute`: the bound, missed by vigil while the minimal grpc-js client met it;
   * `floor`: missed by both — what grpc-js itself adds on this machine (both ends in Node, HTTP/2
   * framing, two processes on 2 cores: +3–6 ms at p95 on a quiet run), reported, not vigil's;
   * `relative`: vigil's excess over its server ≤ the minimal client's + the same bound.
   */
  const check = (): { rows: string[]; absolute: string[]; floor: string[]; relative: string[] } => {
    const v = summarizeHistogram(s.vigil);
    const rows: string[] = [];
    const absolute: string[] = [];
    const floor: string[] = [];
    const relative: string[] = [];
    for (const p of [50, 95, 99] as const) {
      const server = percentile(s.vigilServer, p);
      const mine = v[`p${p}`];
      const ref = percentile(s.ref, p);
      const refServer = percentile(s.refServer, p);
      const tolerance = Math.max(3, 0.08 * server);
      rows.push(`p${p}: server ${server.toFixed(2)} ms, vigil ${mine.toFixed(2)} ms (${mine >= server ? '+' : ''}${(mine - server).toFixed(2)}, bound ±${tolerance.toFixed(2)}), minimal grpc-js client +${(ref - refServer).toFixed(2)} over its server`);
      // Latency includes the service time whatever the machine (beyond HDR's 0.1 %).
      assert.ok(mine >= server * 0.999 - 0.01, `p${p} below the server's own time`);
      // The transport "meets" the bound when the minimal client stays 1 ms inside it: percentiles of
      // these pools move by up to ~1 ms between runs, so a client at the bound's edge is at the floor.
      if (Math.abs(mine - server) > tolerance) (Math.abs(ref - refServer) > tolerance - 1 ? floor : absolute).push(rows.at(-1) as string);
      if ((mine - server) - (ref - refServer) > tolerance) relative.push(rows.at(-1) as string);
    }
    return { rows, absolute, floor, relative };
  };
  await measure();
  let m = check();
  for (let attempt = 2; attempt <= ATTEMPTS && m.absolute.length + m.floor.length + m.relative.length > 0; attempt++) {
    t.diagnostic(`after ${attempt - 1} attempt(s) (${s.ref.length} + ${s.vigilServer.length} calls) a bound is missed, adding samples: ${[...m.absolute, ...m.floor, ...m.relative].join(' | ')}`);
    await measure();
    m = check();
  }
  for (const r of m.rows) t.diagnostic(r);
  for (const r of m.floor) t.diagnostic(`the minimal grpc-js client misses this bound too (the transport's floor here, not asserted against vigil): ${r}`);
  // As for HTTP (test/load/accuracy.test.ts): asserted whenever the machine is not oversubscribed.
  // On an oversubscribed one (load average 9–11 on 2 cores here) the OS adds tens to hundreds of ms
  // to both clients alike, and differences of such percentiles are noise: reported, not asserted.
  const timing = strictTiming();
  const failures = [...m.absolute, ...m.relative.map((r) => `${r}: vigil adds more than the bound over the minimal client`)];
  if (timing.strict) assert.deepEqual(failures, []);
  else if (failures.length > 0) t.skip(`NOT ASSERTED (${timing.why}): ${failures.join(' | ')}`);
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
