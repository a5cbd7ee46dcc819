import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { resolveLoadOptions, runLoad } from '../../load/index.ts';
import { percentile, strictTiming } from './measure.ts';

const STALL = { everyMs: 5000, forMs: 1000 };
const SERVICE_MS = 2;
const RATE = 200;
const DURATION_S = 10;
/** Warmup (excluded from statistics) so connection set-up and JIT do not land in the first stall. */
const WARMUP_S = 1;

/**
 * What an ideal open-model client must report: arrival i is intended at t0 + i/rate; if it falls
 * in a stall window it waits until the window ends, then gets its service time.
 */
function analyticLatencies(t0: number, serverStart: number): number[] {
  const out: number[] = [];
  for (let i = RATE * WARMUP_S; i < RATE * (WARMUP_S + DURATION_S); i++) {
    const a = t0 + (i * 1000) / RATE;
    const phase = (((a - serverStart) % STALL.everyMs) + STALL.everyMs) % STALL.everyMs;
    out.push((phase < STALL.forMs ? STALL.forMs - phase : 0) + SERVICE_MS);
  }
  return out;
}

test('coordinated omission: the open model sees the stalls in P99, a closed model hides them', async (t) => {
  const server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: SERVICE_MS }, stall: STALL });
  t.after(() => server.close());
  const body = '{"inputs":[[1]]}';

  const open = await runLoad(resolveLoadOptions({ target: server.url, path: '/predict', body, rate: String(RATE), duration: `${DURATION_S}s`, warmup: `${WARMUP_S}s`, progress: 'none' }));
  // The run's start on the performance clock (startedAt is wall-clock; both clocks share timeOrigin).
  const t0 = Date.parse(open.startedAt) - performance.timeOrigin;
  const analytic = analyticLatencies(t0, server.startedAtMs);
  const expectedP99 = percentile(analytic, 99);
  const stalledShare = analytic.filter((x) => x > SERVICE_MS).length / analytic.length;
  assert.ok(Math.abs(stalledShare - 0.2) < 0.01, `a 10 s window holds 2 s of stall: ${stalledShare}`);
  assert.ok(expectedP99 > 900 && expectedP99 < 1000, `analytic P99 ${expectedP99}`);
  const o = open.summary;
  assert.equal(o.requests, RATE * DURATION_S);
  assert.equal(o.droppedIterations, 0);
  // Never below the truth (beyond HDR's 0.1 % resolution); above it only by the cost of releasing
  // 200 queued responses at once on a busy 2-core machine.
  // The upper bound needs a machine that is not oversubscribed (see strictTiming); the lower bound always holds.
  const timing = strictTiming();
  const near = (name: string, got: number, want: number): void => {
    const msg = `open ${name} ${got} ms vs analytic ${want.toFixed(1)} ms`;
    assert.ok(got >= want * 0.99, `${msg}: the stalls must show`);
    if (got > want + Math.max(50, 0.1 * want)) {
      if (timing.strict) assert.fail(`${msg}: too far above`);
      t.diagnostic(`NOT ASSERTED (${timing.why}): ${msg} is more than max(50 ms, 10 %) above`);
    }
  };
  near('P99', o.latencyMs.p99, expectedP99);
  // Analytic P90: 10 % of requests waited more than half a stall.
  const expectedP90 = percentile(analytic, 90);
  near('P90', o.latencyMs.p90, expectedP90);

  const closed = await runLoad(resolveLoadOptions({ target: server.url, path: '/predict', body, connections: '10', duration: `${DURATION_S}s`, warmup: `${WARMUP_S}s`, progress: 'none' }));
  const c = closed.summary;
  // During each stall only the 10 requests already sent wait; the loops send nothing else, so the
  // stall touches ~20 of thousands of requests: P99 stays near the service time, only max shows it.
  assert.ok(c.requests > 20 * 100, `closed requests ${c.requests}`);
  assert.ok(c.latencyMs.p99 < expectedP99 / 5, `closed P99 ${c.latencyMs.p99} ms should hide the stalls`);
  assert.ok(c.latencyMs.max > 500, `closed max ${c.latencyMs.max} ms still shows a stall`);
  t.diagnostic(`open P99 ${o.latencyMs.p99} ms (analytic ${expectedP99.toFixed(1)}), P90 ${o.latencyMs.p90} (analytic ${expectedP90.toFixed(1)}); closed P99 ${c.latencyMs.p99} ms, max ${c.latencyMs.max} ms over ${c.requests} requests`);
});
