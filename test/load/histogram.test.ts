import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHistogram, decodeHistogram, encodeHistogram, mergeHistogramInto, summarizeHistogram } from '../../load/index.ts';
import { isVigilError } from '../../common/errors.ts';

/** Nearest-rank percentile of a sorted array (the definition HdrHistogram implements). */
const nearestRank = (sorted: number[], p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('summary percentiles match nearest-rank percentiles of the raw values within HDR resolution (0.1 %)', () => {
  const rnd = lcg(7);
  const values: number[] = [];
  const h = createHistogram();
  for (let i = 0; i < 20_000; i++) {
    const us = Math.round(Math.exp(Math.log(20_000) + 0.6 * Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd())));
    values.push(Math.max(1, us));
    h.recordValue(Math.max(1, us));
  }
  values.sort((a, b) => a - b);
  const s = summarizeHistogram(h);
  const pairs: [number, number][] = [[s.p50, 50], [s.p90, 90], [s.p95, 95], [s.p99, 99], [s.p999, 99.9]];
  for (const [got, p] of pairs) {
    const want = nearestRank(values, p) / 1000;
    // 3 significant digits: buckets are ≤ 0.1 % wide; ranks in the sparse tail may land one bucket over.
    assert.ok(Math.abs(got - want) <= want * 0.003 + 0.001, `p${p}: ${got} vs ${want}`);
  }
  assert.ok(Math.abs(s.max - (values.at(-1) as number) / 1000) <= (values.at(-1) as number) * 1e-6 + 0.01);
  const mean = values.reduce((a, b) => a + b, 0) / values.length / 1000;
  assert.ok(Math.abs(s.mean - mean) <= mean * 0.001);
});

/** Equal summaries; max only to bucket resolution (decoding and add() keep max as its bucket's highest equivalent value). */
function sameSummary(got: ReturnType<typeof summarizeHistogram>, want: ReturnType<typeof summarizeHistogram>): void {
  const { max: gMax, ...gRest } = got;
  const { max: wMax, ...wRest } = want;
  assert.deepEqual(gRest, wRest);
  assert.ok(Math.abs(gMax - wMax) <= wMax * 0.001, `max ${gMax} vs ${wMax}`);
}

test('encode/decode round trip keeps every bucket; merging = recording everything in one', () => {
  const a = createHistogram();
  const b = createHistogram();
  const all = createHistogram();
  for (let i = 1; i <= 5000; i++) {
    const v = (i * 7919) % 250_000 + 1;
    (i % 3 === 0 ? a : b).recordValue(v);
    all.recordValue(v);
  }
  const decoded = decodeHistogram(encodeHistogram(a));
  assert.equal(decoded.totalCount, a.totalCount);
  sameSummary(summarizeHistogram(decoded), summarizeHistogram(a));
  const merged = decodeHistogram(encodeHistogram(b));
  mergeHistogramInto(merged, decoded);
  assert.equal(merged.totalCount, 5000);
  sameSummary(summarizeHistogram(merged), summarizeHistogram(all));
});

test('empty histogram summarises to zeros; garbage does not decode', () => {
  assert.deepEqual(summarizeHistogram(createHistogram()), { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, stdev: 0 });
  assert.throws(() => decodeHistogram('not base64 at all!'), (e: unknown) => isVigilError(e) && e.code === 'VIGIL_LOAD_HISTOGRAM_INVALID');
});

test('percentiles never exceed max: HDR reports a bucket\'s highest equivalent value, clamped to the largest sample', () => {
  // 10_001 µs lands in a bucket 8 µs wide (10_000..10_007 at 3 significant digits): unclamped, every percentile reads 10.007 ms.
  const h = createHistogram();
  for (let i = 0; i < 1000; i++) h.recordValue(10_001);
  assert.ok(h.getValueAtPercentile(99) > h.maxValue, 'the raw HDR percentile overshoots max (what this test guards)');
  const s = summarizeHistogram(h);
  assert.equal(s.max, 10.001);
  assert.deepEqual([s.p50, s.p90, s.p95, s.p99, s.p999], [10.001, 10.001, 10.001, 10.001, 10.001]);
});
