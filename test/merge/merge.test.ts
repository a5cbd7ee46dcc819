import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeResults } from '../../load/merge.ts';
import { readLoadResult } from '../../load/index.ts';
import { buildResult, syntheticSamples, type Sample } from '../report/build-result.ts';
import { runVigil, testOutputDir } from '../helpers/cli.ts';
import type { LoadResult } from '../../load/result.ts';

const T0 = new Date('2026-01-05T10:00:00.000Z');
const DURATION_S = 20;
const samples = syntheticSamples(20_000, DURATION_S, 7);
const whole = buildResult(samples, { startedAt: T0, durationS: DURATION_S, rate: 1000 });

/** Shard k runs the same wall-clock window and sees every k-th request (round-robin load balancer). */
function shards(n: number): LoadResult[] {
  return Array.from({ length: n }, (_, k) => buildResult(samples.filter((_, i) => i % n === k), { startedAt: T0, durationS: DURATION_S, rate: 1000 / n }));
}

/** Exact percentile of a sorted sample at HDR precision: the reference the merge must match. */
function sortedPercentileMs(sorted: readonly number[], p: number): number {
  // The rank as HdrHistogram counts it: round(p/100 × n), 1-based (float-safe, unlike ceil(0.999 × n)).
  return (sorted[Math.max(0, Math.round((p / 100) * sorted.length) - 1)] as number) / 1000;
}

test('merging shards gives exactly the percentiles of the whole, not their average', () => {
  const parts = shards(3);
  const merged = mergeResults(parts);
  assert.deepEqual(merged.summary.latencyMs, whole.summary.latencyMs);
  // Independent reference: the sorted raw latencies, within HDR's 3-significant-digit precision.
  const sorted = samples.map((s) => s.latencyUs).sort((a, b) => a - b);
  for (const [k, p] of [['p50', 50], ['p90', 90], ['p99', 99], ['p999', 99.9]] as const) {
    const ref = sortedPercentileMs(sorted, p);
    assert.ok(Math.abs(merged.summary.latencyMs[k] - ref) <= ref * 0.001 + 0.001, `${k}: ${merged.summary.latencyMs[k]} vs ${ref}`);
  }
  // Averaging the shards' P99 would be a different (wrong) number whenever the shards differ.
  const averaged = parts.reduce((a, r) => a + r.summary.latencyMs.p999, 0) / parts.length;
  assert.notEqual(averaged, merged.summary.latencyMs.p999);
});

test('counters are summed and QPS is over the union span', () => {
  const merged = mergeResults(shards(4));
  const s = merged.summary;
  assert.equal(s.requests, samples.length);
  assert.deepEqual(s.status, whole.summary.status);
  assert.deepEqual(s.errors.byClass, whole.summary.errors.byClass);
  assert.equal(s.errors.total, whole.summary.errors.total);
  assert.equal(s.bytesIn, 512 * samples.length);
  assert.equal(s.durationS, DURATION_S);
  assert.equal(s.qps, samples.length / DURATION_S);
  assert.equal(s.offeredRate, 1000);
  assert.deepEqual(merged.endpoints['POST /predict']?.latencyMs, whole.endpoints['POST /predict']?.latencyMs);
  assert.equal(merged.endpoints['GET /v1/models/:id']?.requests, whole.endpoints['GET /v1/models/:id']?.requests);
  // Encodings of equal histograms may differ byte-wise; everything they summarise must not.
  const strip = (r: LoadResult): unknown => r.intervals.map(({ histogram: _h, ...iv }) => iv);
  assert.deepEqual(strip(merged), strip(whole));
  assert.equal((merged.config.merged as { shards: number }).shards, 4);
});

test('intervals are aligned by absolute time when shards start at different moments', () => {
  // Shard B starts 3 s after shard A and runs 10 s; the merged run covers 13 s.
  const a: Sample[] = Array.from({ length: 1000 }, (_, i) => ({ atMs: i * 10 + 5, latencyUs: 10_000, status: 200, endpoint: 'POST /predict' }));
  const b: Sample[] = Array.from({ length: 500 }, (_, i) => ({ atMs: i * 20 + 5, latencyUs: 40_000, status: 200, endpoint: 'POST /predict' }));
  const ra = buildResult(a, { startedAt: T0, durationS: 10 });
  const rb = buildResult(b, { startedAt: new Date(T0.getTime() + 3000), durationS: 10, warmupS: 2 });
  const merged = mergeResults([ra, rb]);
  assert.equal(merged.summary.durationS, 13);
  assert.equal(merged.intervals.length, 13);
  const byT = new Map(merged.intervals.map((iv) => [iv.t, iv]));
  assert.equal(byT.get(1)?.requests, 100);          // only A
  assert.equal(byT.get(4)?.requests, 150);          // A's 4th second + B's 1st
  assert.ok(Math.abs((byT.get(4)?.latencyMs.p99 ?? 0) - 40) <= 0.04); // B's 40 ms, from the added interval histograms
  assert.ok(Math.abs((byT.get(1)?.latencyMs.p99 ?? 0) - 10) <= 0.01); // A alone: 10 ms
  assert.equal(byT.get(13)?.requests, 50);          // only B's last second
  assert.equal(merged.startedAt, ra.startedAt);     // B's run (warmup included) began 1 s after A's
  assert.equal(merged.summary.requests, 1500);
});

test('vigil load merge writes the merged file; a shard without histogram is refused', async () => {
  const dir = testOutputDir('merge');
  const files = shards(2).map((r, i) => { const f = join(dir, `shard-${i}.json`); writeFileSync(f, JSON.stringify(r)); return f; });
  const out = join(dir, 'merged.json');
  const run = await runVigil(['load', 'merge', ...files, '--out', out, '--threshold', 'p99<10s', '--threshold', 'p50<1ms']);
  assert.equal(run.code, 99, run.stderr);  // thresholds are evaluated again on the merged result
  const merged = JSON.parse(readFileSync(out, 'utf8')) as LoadResult;
  assert.deepEqual(merged.thresholds.map((t) => [t.expr, t.ok]), [['p99<10s', true], ['p50<1ms', false]]);
  assert.ok(Math.abs((merged.thresholds[0]?.value ?? 0) - whole.summary.latencyMs.p99 / 1000) < 0.001);  // in seconds, as written
  assert.deepEqual(merged.summary.latencyMs, whole.summary.latencyMs);
  assert.match(run.stdout, /p99/);
  const noHist = join(dir, 'no-hist.json');
  writeFileSync(noHist, JSON.stringify({ ...shards(2)[1], histogram: '' }));
  const bad = await runVigil(['load', 'merge', files[0] as string, noHist, '--out', join(dir, 'x.json')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /VIGIL_MERGE_NO_HISTOGRAM/);
});

test('bad inputs are refused with their codes', () => {
  const dir = testOutputDir('merge');
  assert.throws(() => mergeResults(shards(1)), { code: 'VIGIL_MERGE_TOO_FEW' });
  const notResult = join(dir, 'not-result.json');
  writeFileSync(notResult, '{"schema":"something/else"}');
  assert.throws(() => readLoadResult(notResult), { code: 'VIGIL_RESULT_INVALID' });
  assert.throws(() => readLoadResult(join(dir, 'missing.json')), { code: 'VIGIL_RESULT_UNREADABLE' });
});
