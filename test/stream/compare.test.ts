import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareResults } from '../../load/compare.ts';
import type { LoadResult, StreamSummary } from '../../load/result.ts';
import { buildResult, syntheticSamples } from '../report/build-result.ts';
import { runVigil, testOutputDir } from '../helpers/cli.ts';

const T0 = new Date('2026-01-05T10:00:00.000Z');
const lat = (p50: number, p99: number) => ({ min: p50 / 2, mean: p50, p50, p90: p99 * 0.8, p95: p99 * 0.9, p99, p999: p99 * 1.1, max: p99 * 1.2 });

function llmResult(ttftP99: number, tokensPerS: number, goodputPerS: number): LoadResult {
  const r = buildResult(syntheticSamples(2000, 10, 3), { startedAt: T0, durationS: 10, rate: 200 });
  const stream: StreamSummary = {
    requests: 2000, streamed: 2000, ttftMs: lat(100, ttftP99), itlMs: lat(12, 30), tpotMs: lat(13, 25), ttfbMs: lat(1, 3),
    outputTokens: { total: tokensPerS * 10, source: 'usage', estimatedRequests: 0 }, inputTokens: { total: 1000 }, outputTokensPerS: tokensPerS,
    histograms: { ttft: '', itl: '', tpot: '', ttfb: '' },
  };
  r.summary.stream = stream;
  r.summary.goodput = { slo: ['ttft<500ms'], requests: goodputPerS * 10, perS: goodputPerS, attainment: goodputPerS / 200 };
  return r;
}

test('compare: TTFT, ITL, TPOT, tokens/s and goodput rows; TTFT P99 and tokens/s limits', () => {
  const c = compareResults(llmResult(400, 5000, 190), llmResult(480, 4600, 150), { maxTtftP99Increase: 0.1, maxTokensPerSDecrease: 0.05 });
  const rows = Object.fromEntries(c.rows.map((r) => [r.metric, r]));
  assert.deepEqual(c.rows.map((r) => r.metric), ['qps', 'p50', 'p95', 'p99', 'errorRate', 'ttftP50', 'ttftP99', 'itlP50', 'tpotP50', 'outputTokensPerS', 'goodput']);
  assert.equal(rows['ttftP99']?.verdict, 'worse');
  assert.ok(Math.abs((rows['ttftP99']?.relativeChange ?? 0) - 0.2) < 1e-9);
  assert.equal(rows['outputTokensPerS']?.verdict, 'worse');
  assert.equal(rows['goodput']?.verdict, 'worse');
  assert.equal(rows['itlP50']?.verdict, 'same');
  assert.deepEqual(c.checks.map((ch) => [ch.metric, ch.ok]), [['ttftP99', false], ['outputTokensPerS', false]]);
  assert.ok(Math.abs((c.checks[1]?.observed ?? 0) - 0.08) < 1e-9);
  assert.equal(c.regressed, true);
  assert.equal(compareResults(llmResult(400, 5000, 190), llmResult(420, 4900, 190), { maxTtftP99Increase: 0.1, maxTokensPerSDecrease: 0.05 }).regressed, false);
  // results without LLM answers keep their five rows; a TTFT limit on them cannot be checked and fails
  const plain = buildResult(syntheticSamples(500, 5, 1), { startedAt: T0, durationS: 5 });
  const p = compareResults(plain, plain, { maxTtftP99Increase: 0.1 });
  assert.equal(p.rows.length, 5);
  assert.deepEqual(p.checks.map((ch) => [ch.metric, ch.ok, ch.observed]), [['ttftP99', false, null]]);
});

test('vigil load compare --max-ttft-p99-increase exits 99 and prints the LLM rows', async () => {
  const dir = testOutputDir('stream-compare');
  const a = join(dir, 'base.json');
  const b = join(dir, 'cur.json');
  writeFileSync(a, JSON.stringify(llmResult(400, 5000, 190)));
  writeFileSync(b, JSON.stringify(llmResult(480, 4600, 150)));
  const run = await runVigil(['load', 'compare', a, b, '--max-ttft-p99-increase', '10%', '--max-tokens-per-s-decrease', '5%']);
  assert.equal(run.code, 99, run.stderr);
  assert.match(run.stdout, /TTFT P99\s+400\.00 ms\s+480\.00 ms\s+▲ \+20\.0 %\s+worse/);
  assert.match(run.stdout, /output tokens\/s\s+5000\.0 tokens\/s\s+4600\.0 tokens\/s/);
  assert.match(run.stdout, /✗ output tokens\/s decrease ≤ 5%: 8\.0% lower/);
});
