import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingRateTest } from '../../monitor/drift/missing.ts';
import { createRng } from '../../monitor/drift/rng.ts';

/** Two-sided Fisher p-value by exact BigInt enumeration of the hypergeometric tables (independent of the log-gamma code). */
function fisherBigInt(a: number, n1: number, c: number, n2: number): number {
  const choose = (n: number, r: number): bigint => {
    let x = 1n;
    for (let i = 0; i < r; i++) x = (x * BigInt(n - i)) / BigInt(i + 1);
    return x;
  };
  const k = a + c;
  const weight = (x: number): bigint => choose(n1, x) * choose(n2, k - x);
  const total = choose(n1 + n2, k);
  const obs = weight(a);
  let sum = 0n;
  for (let x = Math.max(0, k - n2); x <= Math.min(k, n1); x++) if (weight(x) <= obs) sum += weight(x);
  return Number((sum * 10n ** 15n) / total) / 1e15;
}

test('missing-rate test: Fisher two-sided p-values equal exact enumeration (table)', () => {
  const cases: [number, number, number, number][] = [[6, 8, 1, 5], [0, 50, 3, 40], [10, 1000, 25, 500], [10, 1000, 5, 500], [0, 30, 0, 30], [2, 12, 9, 13], [15, 200, 1, 180]];
  for (const [a, n1, c, n2] of cases) {
    const got = missingRateTest(a, n1, c, n2).pValue;
    const want = fisherBigInt(a, n1, c, n2);
    assert.ok(Math.abs(got - want) < 1e-9 * Math.max(1, want) + 1e-12, `${[a, n1, c, n2].join(',')}: ${got} vs ${want}`);
  }
  assert.equal(missingRateTest(0, 10, 0, 10).pValue, 1);
  assert.throws(() => missingRateTest(11, 10, 0, 10), RangeError);
});

test('missing-rate test: calibrated at 1 % missing (reference 1,000, window 500), power ≥ 0.9 when the window goes to 5 %', () => {
  const rng = createRng(11);
  const u = (): number => rng.nextUint32() / 2 ** 32;
  const count = (n: number, rate: number): number => { let k = 0; for (let i = 0; i < n; i++) if (u() < rate) k++; return k; };
  let falseAlarms = 0;
  let detected = 0;
  const trials = 1000;
  for (let t = 0; t < trials; t++) {
    const ref = count(1000, 0.01);
    if (missingRateTest(ref, 1000, count(500, 0.01), 500).pValue <= 0.05) falseAlarms++;
    if (missingRateTest(ref, 1000, count(500, 0.05), 500).pValue <= 0.05) detected++;
  }
  // Fisher is exact and (being discrete) at or under alpha.
  assert.ok(falseAlarms / trials <= 0.06 && falseAlarms > 0, `false-alarm rate ${falseAlarms / trials}`);
  assert.ok(detected / trials >= 0.9, `power ${detected / trials}`);
});
