import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateThresholds, formatThresholdOutcome, parseThreshold, type LoadResult } from '../../load/index.ts';
import { isVigilError } from '../../common/errors.ts';

const result = {
  summary: {
    qps: 180.5,
    errors: { total: 3, rate: 0.015, byClass: {} },
    latencyMs: { min: 1, mean: 40, p50: 30, p90: 80, p95: 120, p99: 250, p999: 400, max: 900 },
  },
} as unknown as LoadResult;

test('thresholds: value in the expression unit, pass/fail per comparison', () => {
  const cases: [string, boolean, number][] = [
    ['p99<250ms', false, 250],
    ['p99<=250ms', true, 250],
    ['p99 < 0.3s', true, 0.25],
    ['p95<100', false, 120],
    ['mean>=40ms', true, 40],
    ['max<1s', true, 0.9],
    ['p999<400ms', false, 400],
    ['p50<31', true, 30],
    ['p90>79.5ms', true, 80],
    ['error_rate<1%', false, 1.5],
    ['error_rate<2%', true, 1.5],
    ['error_rate<0.02', true, 0.015],
    ['qps>100', true, 180.5],
    ['qps>=200', false, 180.5],
  ];
  const outcomes = evaluateThresholds(result, cases.map((c) => c[0]));
  cases.forEach(([expr, ok, value], i) => assert.deepEqual(outcomes[i], { expr, ok, value }, expr));
});

test('bad threshold expressions have VIGIL_LOAD_BAD_THRESHOLD', () => {
  for (const expr of ['p98<10ms', 'p99', 'p99<abc', 'p99<10%', 'error_rate<5ms', 'error_rate<5', 'qps>10ms', 'p99=10ms', '']) {
    assert.throws(() => parseThreshold(expr), (e: unknown) => isVigilError(e) && e.code === 'VIGIL_LOAD_BAD_THRESHOLD', expr);
  }
});

const llm = {
  summary: {
    ...result.summary,
    stream: {
      requests: 10, streamed: 10, outputTokensPerS: 1234.5,
      ttftMs: { min: 20, mean: 40, p50: 35, p90: 60, p95: 70, p99: 90, p999: 95, max: 99 },
      itlMs: { min: 1, mean: 5, p50: 4, p90: 8, p95: 9, p99: 12, p999: 15, max: 20 },
      tpotMs: { min: 3, mean: 5, p50: 5, p90: 6, p95: 7, p99: 8, p999: 9, max: 9 },
      ttfbMs: { min: 0.5, mean: 1, p50: 1, p90: 2, p95: 2, p99: 3, p999: 3, max: 3 },
    },
    goodput: { slo: ['ttft<50ms'], requests: 8, perS: 4.2, attainment: 0.8 },
  },
} as unknown as LoadResult;

test('LLM thresholds: ttft_/itl_/tpot_/ttfb_ statistics, tokens/s, goodput and attainment', () => {
  const cases: [string, boolean, number][] = [
    ['ttft_p99<100ms', true, 90],
    ['ttft_p50<0.03s', false, 0.035],
    ['itl_p50<=4', true, 4],
    ['tpot_mean<5ms', false, 5],
    ['ttfb_max<5ms', true, 3],
    ['ttft_min>10ms', true, 20],
    ['output_tokens_per_s>1000', true, 1234.5],
    ['output_tokens_per_s>2000/s', false, 1234.5],
    ['goodput>4', true, 4.2],
    ['slo_attainment>=95%', false, 80],
    ['slo_attainment>0.5', true, 0.8],
  ];
  const outcomes = evaluateThresholds(llm, cases.map((c) => c[0]));
  cases.forEach(([expr, ok, value], i) => assert.deepEqual(outcomes[i], { expr, ok, value }, expr));
  // A result without LLM answers (or without SLOs) cannot pass them: the value is unknown.
  for (const o of evaluateThresholds(result, ['ttft_p99<1s', 'itl_p50>0ms', 'output_tokens_per_s>=0', 'goodput>=0', 'slo_attainment>=0%'])) {
    assert.equal(o.ok, false, o.expr);
    assert.ok(Number.isNaN(o.value), o.expr);
  }
  assert.match(formatThresholdOutcome({ expr: 'ttft_p99<1s', ok: false, value: Number.NaN }), /FAIL .* n\/a/);
  assert.match(formatThresholdOutcome({ expr: 'output_tokens_per_s>1', ok: true, value: 5 }), /5 tokens\/s$/);
});

test('bad LLM threshold expressions', () => {
  for (const expr of ['ttft_p98<1s', 'ttft<1s', 'itl_p50<5%', 'goodput>5ms', 'slo_attainment<5', 'output_tokens_per_s>5ms', 'tpot_p99<']) {
    assert.throws(() => parseThreshold(expr), (e: unknown) => isVigilError(e) && e.code === 'VIGIL_LOAD_BAD_THRESHOLD', expr);
  }
});
