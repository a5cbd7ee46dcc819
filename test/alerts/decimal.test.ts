import { test } from 'node:test';
import assert from 'node:assert/strict';
import { burnRateThreshold, errorBudgetPercent, timesHundred, formatDecimal, parseDecimal, promDuration, promNumber } from '../../alerts/index.ts';

// Expected thresholds written out by hand: factor × (100 − objective) / 100.
const CASES: [objective: string, factor: number, expected: string][] = [
  ['99.9', 14.4, '0.0144'], ['99.9', 6, '0.006'], ['99.9', 3, '0.003'], ['99.9', 1, '0.001'],
  ['99.99', 14.4, '0.00144'], ['99.99', 6, '0.0006'], ['99.99', 1, '0.0001'],
  ['99.5', 14.4, '0.072'], ['99', 6, '0.06'], ['95', 2, '0.1'], ['99.95', 14.4, '0.0072'],
  ['99.999', 14.4, '0.000144'], ['90', 10, '1'],
];

test('burn-rate thresholds are exact, short decimals (no 0.0009999999999999432)', () => {
  for (const [objective, factor, expected] of CASES) {
    const got = burnRateThreshold(objective, factor);
    assert.equal(got, expected, `${factor} × (1 − ${objective}%)`);
    // Independent float reference: the same quantity in floating point agrees to 1e-12.
    const float = factor * (1 - Number(objective) / 100);
    assert.ok(Math.abs(Number(got) - float) < 1e-12, `${got} vs float ${float}`);
    assert.ok(got.length <= 10, `${got} is short`);
  }
  // The floating-point way really does produce the noisy constant this module exists to avoid.
  assert.equal(String(1 - 0.999), '0.0010000000000000009');
  assert.notEqual(String((1 - 0.999) * 14.4), '0.0144');
});

test('error budget and percent helpers are exact', () => {
  assert.equal(errorBudgetPercent('99.9'), '0.1');
  assert.equal(errorBudgetPercent('99.95'), '0.05');
  assert.equal(errorBudgetPercent('90'), '10');
  assert.equal(timesHundred('0.0144'), '1.44');
  assert.equal(timesHundred('0.5'), '50');
  assert.equal(formatDecimal(parseDecimal('007.2500', 'x')), '7.25');
  assert.throws(() => parseDecimal('1e-3', 'x'), { code: 'VIGIL_ALERTS_BAD_DECIMAL' });
  assert.throws(() => burnRateThreshold('99.9', -1), { code: 'VIGIL_ALERTS_BAD_DECIMAL' });
});

test('durations and numbers render the way Prometheus writes them', () => {
  const table: [number, string][] = [[0, '0s'], [500, '500ms'], [5000, '5s'], [90_000, '1m30s'], [300_000, '5m'], [3_600_000, '1h'], [86_400_000, '1d'], [259_200_000, '3d'], [5_400_000, '1h30m']];
  for (const [ms, text] of table) assert.equal(promDuration(ms), text);
  assert.equal(promNumber(0.1 + 0.2), '0.3');
  assert.equal(promNumber(4 * 1024 ** 3), '4294967296');
  assert.equal(promNumber(0.95), '0.95');
});
