import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareResults } from '../../load/compare.ts';
import { parseLimits } from '../../cli/load-compare.ts';
import { buildResult, syntheticSamples, type Sample } from '../report/build-result.ts';
import { runVigil, testOutputDir } from '../helpers/cli.ts';
import type { LoadResult } from '../../load/result.ts';

const T0 = new Date('2026-01-05T10:00:00.000Z');

/** n requests over `durationS`, every latency `ms`, `errors` of them 500s. */
function flat(n: number, durationS: number, ms: number, errors = 0): LoadResult {
  const samples: Sample[] = Array.from({ length: n }, (_, i) => ({ atMs: (i / n) * durationS * 1000, latencyUs: ms * 1000, status: i < errors ? 500 : 200, endpoint: 'POST /predict' }));
  return buildResult(samples, { startedAt: T0, durationS });
}

test('deltas, directions and verdicts are computed per metric', () => {
  const base = flat(1000, 10, 100);          // 100 qps, 100 ms, 0 % errors
  const cur = flat(900, 10, 120, 18);        // 90 qps, 120 ms, 2 % errors
  const c = compareResults(base, cur);
  const row = (m: string) => c.rows.find((r) => r.metric === m);
  assert.equal(row('qps')?.baseline, 100);
  assert.equal(row('qps')?.current, 90);
  assert.ok(Math.abs((row('qps')?.relativeChange ?? 0) + 0.1) < 1e-12);
  assert.equal(row('qps')?.verdict, 'worse');
  // HDR reports the highest value equivalent to 100 ms / 120 ms (precision 0.1 %): ratio ≈ 1.2.
  assert.ok(Math.abs((row('p99')?.relativeChange ?? 0) - 0.2) < 0.002);
  assert.equal(row('p99')?.verdict, 'worse');
  assert.equal(row('errorRate')?.baseline, 0);
  assert.equal(row('errorRate')?.current, 2);
  assert.equal(row('errorRate')?.relativeChange, null);   // from 0: no relative change
  assert.equal(row('errorRate')?.absoluteChange, 2);      // +2 percentage points
  assert.equal(compareResults(cur, base).rows.find((r) => r.metric === 'p50')?.verdict, 'better');
  assert.equal(compareResults(base, base).rows.every((r) => r.verdict === 'same'), true);
  assert.equal(c.regressed, false); // no limits given
});

test('limits: a regression beyond the limit fails, within it passes (table-driven)', () => {
  const base = flat(1000, 10, 100);
  const cur = flat(900, 10, 120, 18);
  const cases: [string, Parameters<typeof compareResults>[2], boolean][] = [
    ['p99 +20 % vs 10 %', { maxP99Increase: 0.1 }, true],
    ['p99 +20 % vs 25 %', { maxP99Increase: 0.25 }, false],
    ['qps −10 % vs 5 %', { maxQpsDecrease: 0.05 }, true],
    ['qps −10 % vs 15 %', { maxQpsDecrease: 0.15 }, false],
    ['errors +2 pts vs 1 pt', { maxErrorRateIncrease: 0.01 }, true],
    ['errors +2 pts vs 2 pts', { maxErrorRateIncrease: 0.02 }, false],
    ['all within', { maxP99Increase: 0.3, maxQpsDecrease: 0.2, maxErrorRateIncrease: 0.05 }, false],
  ];
  for (const [name, limits, regressed] of cases) assert.equal(compareResults(base, cur, limits).regressed, regressed, name);
  assert.equal(compareResults(cur, base, { maxP99Increase: 0, maxQpsDecrease: 0, maxErrorRateIncrease: 0 }).regressed, false, 'improvements never regress');
});

test('vigil load compare prints a side-by-side table and exits 99 on regression', async () => {
  const dir = testOutputDir('compare');
  const base = join(dir, 'baseline.json');
  const cur = join(dir, 'current.json');
  writeFileSync(base, JSON.stringify(buildResult(syntheticSamples(4000, 10, 1), { startedAt: T0, durationS: 10 })));
  writeFileSync(cur, JSON.stringify(flat(3000, 10, 60, 30)));
  const bad = await runVigil(['load', 'compare', base, cur, '--max-p99-increase', '10%', '--max-qps-decrease', '5%']);
  assert.equal(bad.code, 99, bad.stderr);
  assert.match(bad.stdout, /^QPS\s+400\.0 req\/s\s+300\.0 req\/s\s+▼ -25\.0 %\s+worse$/m);
  assert.match(bad.stdout, /^P99\s+.*▲ \+\d+\.\d %\s+worse$/m);
  assert.match(bad.stdout, /✗ QPS decrease ≤ 5%.*REGRESSION/);
  const ok = await runVigil(['load', 'compare', base, base, '--max-p99-increase', '10%', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  const json = JSON.parse(ok.stdout) as { regressed: boolean; rows: { metric: string; verdict: string }[] };
  assert.equal(json.regressed, false);
  assert.ok(json.rows.every((r) => r.verdict === 'same'));
});

test('limits are parsed as percentages or fractions; anything else is a coded error', () => {
  assert.deepEqual(parseLimits({ maxP99Increase: '10%', maxQpsDecrease: '0.05', maxErrorRateIncrease: '0.5%' }), { maxP99Increase: 0.1, maxQpsDecrease: 0.05, maxErrorRateIncrease: 0.005 });
  assert.throws(() => parseLimits({ maxP99Increase: 'ten' }), { code: 'VIGIL_BAD_PERCENT' });
  assert.throws(() => parseLimits({ maxQpsDecrease: '-5%' }), { code: 'VIGIL_BAD_PERCENT' });
});
