import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';
import { createRng, ksFromStatistic, ksStatisticAgainst, ksStatisticSorted, ksTwoSample, prepareKsReference, sortFloat64 } from '../../monitor/drift/index.ts';

interface SampleSpec { values?: number[]; seq?: { n: number; mult: number; scale: number; shift: number } }
interface GoldenCase { name: string; a: SampleSpec; b: SampleSpec; statistic: number; pValue: number; method: 'exact' | 'asymptotic' }

const golden = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'drift-golden', 'ks-golden.json'), 'utf8')) as { cases: GoldenCase[] };

/** Same formula as generate_ks.py (IEEE multiply, fmod, multiply, add: bit-identical). */
function materialise(spec: SampleSpec): number[] {
  if (spec.values) return spec.values;
  const s = spec.seq;
  assert.ok(s);
  return Array.from({ length: s.n }, (_, i) => (((i + 1) * s.mult) % 1) * s.scale + s.shift);
}

for (const c of golden.cases) {
  test(`ks_2samp golden: ${c.name}`, () => {
    const r = ksTwoSample(materialise(c.a), materialise(c.b));
    assert.equal(r.method, c.method);
    assert.ok(Math.abs(r.statistic - c.statistic) <= 1e-9, `statistic ${r.statistic} vs scipy ${c.statistic}`);
    const rel = c.pValue === 0 ? Math.abs(r.pValue) : Math.abs(r.pValue - c.pValue) / c.pValue;
    assert.ok(rel <= 1e-6, `p-value ${r.pValue} vs scipy ${c.pValue} (relative error ${rel})`);
  });
}

/** The prepared-reference path (rank the current sample against the indexed reference, no sort of it). */
function ksAgainstReference(a: number[], b: number[]): ReturnType<typeof ksTwoSample> {
  const d = ksStatisticAgainst(prepareKsReference(sortFloat64(Float64Array.from(a))), b, 'current');
  return ksFromStatistic(d, a.length, b.length);
}

for (const c of golden.cases) {
  test(`ks_2samp golden, prepared-reference path: ${c.name}`, () => {
    const r = ksAgainstReference(materialise(c.a), materialise(c.b));
    assert.equal(r.method, c.method);
    assert.ok(Math.abs(r.statistic - c.statistic) <= 1e-9, `statistic ${r.statistic} vs scipy ${c.statistic}`);
    const rel = c.pValue === 0 ? Math.abs(r.pValue) : Math.abs(r.pValue - c.pValue) / c.pValue;
    assert.ok(rel <= 1e-6, `p-value ${r.pValue} vs scipy ${c.pValue} (relative error ${rel})`);
  });
}

test('prepared-reference KS statistic equals the merge walk over both sorted samples, bit for bit (ties, skew, outliers, out of range)', () => {
  const rng = createRng(2024);
  const u = (): number => (rng.nextUint32() + 0.5) / 2 ** 32;
  const draws: Record<string, () => number> = {
    smooth: () => u() * 2 - 1,
    'heavy ties': () => Math.floor(u() * 7),
    'skewed with outliers': () => (u() < 0.01 ? 1e9 * u() : Math.exp(8 * u())),
    'shifted beyond the reference': () => u() * 2 + 1.5,
    'negative zero and zero': () => (u() < 0.5 ? -0 : 0) + Math.floor(u() * 3),
  };
  let cases = 0;
  for (const [name, draw] of Object.entries(draws)) {
    for (const [n1, n2] of [[1, 1], [1, 9], [13, 7], [200, 300], [1000, 1000], [2500, 40]]) {
      const a = Float64Array.from({ length: n1 as number }, draw);
      const b = Float64Array.from({ length: n2 as number }, name === 'shifted beyond the reference' ? () => u() * 4 - 1 : draw);
      const sa = sortFloat64(a.slice());
      const expected = ksStatisticSorted(sa, sortFloat64(b.slice()));
      assert.equal(ksStatisticAgainst(prepareKsReference(sa), b, 'current'), expected, `${name}, ${n1} vs ${n2}`);
      cases++;
    }
  }
  // A range that overflows a double (max − min = Infinity): one bucket, still exact.
  const wide = Float64Array.of(-1e308, 0, 1e308);
  for (const cur of [[9e307, 9e307, 9e307], [-1.7e308, 1.7e308, 0], [1e308, -1e308, 5]]) {
    assert.equal(ksStatisticAgainst(prepareKsReference(wide), cur, 'current'), ksStatisticSorted(wide, sortFloat64(Float64Array.from(cur))), `wide range, ${cur.join(', ')}`);
  }
  // A constant reference: everything is below, equal to or above one value.
  const constant = prepareKsReference(Float64Array.of(3, 3, 3, 3));
  assert.equal(ksStatisticAgainst(constant, [1, 3, 5], 'current'), ksStatisticSorted(Float64Array.of(3, 3, 3, 3), Float64Array.of(1, 3, 5)));
  assert.equal(ksStatisticAgainst(constant, [3, 3], 'current'), 0);
  assert.equal(cases, 30);
  assert.throws(() => ksStatisticAgainst(constant, [1, Number.POSITIVE_INFINITY], 'current f2'), { code: 'VIGIL_DRIFT_NOT_FINITE', message: /current f2/ });
  assert.throws(() => ksStatisticAgainst(constant, [], 'current f2'), { code: 'VIGIL_DRIFT_EMPTY_SAMPLE' });
});

test('the golden table covers both sides of the exact/asymptotic switch', () => {
  assert.ok(golden.cases.some((c) => c.method === 'exact' && Math.max(materialise(c.a).length, materialise(c.b).length) === 10000));
  assert.ok(golden.cases.some((c) => c.method === 'asymptotic' && Math.max(materialise(c.a).length, materialise(c.b).length) === 10001));
});

test('ksTwoSample is symmetric in its arguments', () => {
  const a = [0.3, 1.2, -0.4, 2.2, 0.9, 0.1, 1.7];
  const b = [0.5, 2.5, 3.1, 1.1, 0.8];
  assert.deepEqual(ksTwoSample(a, b), ksTwoSample(b, a));
});

test('ksTwoSample rejects empty and non-finite samples with coded errors', () => {
  assert.throws(() => ksTwoSample([], [1]), { code: 'VIGIL_DRIFT_EMPTY_SAMPLE' });
  assert.throws(() => ksTwoSample([1, Number.NaN], [1]), { code: 'VIGIL_DRIFT_NOT_FINITE' });
});
