import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';
import { ksTwoSample } from '../../monitor/drift/index.ts';

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
