import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateThresholds, parseThreshold, type LoadResult } from '../../load/index.ts';
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
