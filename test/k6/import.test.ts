import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importK6Summary } from '../../load/k6/index.ts';
import { REPO_ROOT, runVigil, testOutputDir } from '../helpers/cli.ts';
import type { LoadResult } from '../../load/result.ts';

const FIXTURES = join(REPO_ROOT, 'fixtures', 'traffic', 'k6');
const read = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const END = new Date('2026-02-01T12:00:00.000Z');

test('handleSummary data: values under `values`, thresholds as { ok }', () => {
  const r = importK6Summary(read('handle-summary.json'), { file: 'handle-summary.json', endedAt: END });
  assert.equal(r.schema, 'vigil.load.result/v1');
  assert.equal(r.summary.requests, 6000);
  assert.equal(r.summary.durationS, 60.012);                 // state.testRunDurationMs
  assert.ok(Math.abs(r.summary.qps - 6000 / 60.012345) < 1e-9);
  assert.deepEqual(r.summary.latencyMs, { min: 8.12, mean: 24.31, p50: 21.05, p90: 38.4, p95: 47.9, p99: 121.3, p999: Number.NaN, max: 412.7 });
  assert.equal(r.summary.errors.total, 60);                  // http_req_failed passes = failed requests
  assert.equal(r.summary.errors.rate, 0.01);
  assert.equal(r.summary.errors.byClass.other, 60);
  assert.equal(r.summary.bytesIn, 3072000);
  assert.equal(r.summary.bytesOut, 1140000);
  assert.equal(r.summary.droppedIterations, 12);
  assert.equal(r.config.model, 'open');                      // dropped_iterations exists only for arrival-rate executors
  assert.equal(r.config.source, 'k6');
  assert.equal(r.histogram, '');
  assert.equal(r.startedAt, new Date(END.getTime() - 60012.345).toISOString());
  assert.deepEqual(r.thresholds, [
    { expr: 'http_req_duration: p(95)<200', ok: true, value: 47.9 },
    { expr: 'http_req_duration: p(99)<100', ok: false, value: 121.3 },
    { expr: 'http_req_failed: rate<0.02', ok: true, value: 0.01 },
  ]);
  assert.equal(r.endpoints.predict?.requests, 4800);
  assert.equal(r.endpoints.predict?.latencyMs.p99, 130.4);
  // Unknown percentiles become null in the file, never an invented number.
  assert.equal((JSON.parse(JSON.stringify(r)) as LoadResult).summary.latencyMs.p999, null);
});

test('--summary-export: values on the metric, rate as `value`, threshold `true` means FAILED', () => {
  const r = importK6Summary(read('summary-export.json'), { file: 'summary-export.json', endedAt: END });
  assert.equal(r.summary.requests, 3000);
  assert.equal(r.summary.durationS, 30);                     // count / rate: no state block in this shape
  assert.equal(r.summary.qps, 100);
  assert.equal(r.summary.latencyMs.p50, 27.2);
  assert.equal(r.summary.latencyMs.p95, 66.3);
  assert.ok(Number.isNaN(r.summary.latencyMs.p99));          // k6's default trend stats have no p(99)
  assert.equal(r.summary.errors.total, 30);
  assert.equal(r.summary.errors.rate, 0.01);
  assert.equal(r.config.model, 'closed');
  assert.equal(r.config.connections, 10);
  assert.deepEqual(r.thresholds, [
    { expr: 'http_req_duration: p(95)<50', ok: false, value: 66.3 },
    { expr: 'http_req_duration: avg<100', ok: true, value: 31.7 },
    { expr: 'http_req_failed: rate<0.05', ok: true, value: 0.01 },
  ]);
});

test('vigil load import-k6 writes a result that compare and merge understand', async () => {
  const dir = testOutputDir('k6-import');
  const out = join(dir, 'from-k6.json');
  const run = await runVigil(['load', 'import-k6', join(FIXTURES, 'summary-export.json'), '--out', out, '--target', 'http://127.0.0.1:9000']);
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(readFileSync(out, 'utf8')) as LoadResult;
  assert.equal(r.target, 'http://127.0.0.1:9000');
  assert.equal(r.summary.latencyMs.p99, null);
  const other = join(dir, 'from-k6-2.json');
  assert.equal((await runVigil(['load', 'import-k6', join(FIXTURES, 'handle-summary.json'), '--out', other])).code, 0);
  const cmp = await runVigil(['load', 'compare', other, out, '--max-p99-increase', '10%']);
  assert.equal(cmp.code, 99, cmp.stdout + cmp.stderr);  // p99 unknown in the current run: the check cannot pass
  assert.match(cmp.stdout, /^P99\s+121\.30 ms\s+n\/a\s+n\/a$/m);
  const merge = await runVigil(['load', 'merge', out, other, '--out', join(dir, 'm.json')]);
  assert.match(merge.stderr, /VIGIL_MERGE_NO_HISTOGRAM/);
});

test('a file that is not a k6 summary is refused with its code', () => {
  for (const junk of [{ metrics: { vus: { value: 1 } } }, { nothing: true }, [], { metrics: { http_reqs: 3 } }]) {
    assert.throws(() => importK6Summary(junk, { file: 'junk.json' }), { code: 'VIGIL_K6_SUMMARY_INVALID' }, JSON.stringify(junk));
  }
});
