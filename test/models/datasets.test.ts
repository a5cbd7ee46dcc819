import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorFunction } from 'simple-statistics';
import { buildFixtureDatasets, DATASETS_DIR, readFixtureDataset } from '../../fixtures/datasets/build.ts';
import { DATASETS } from '../../fixtures/datasets/datasets.ts';
import { FEATURE_MEANS, FEATURE_STDS } from '../../fixtures/models/feature-stats.ts';
import { ksStatisticReference } from '../helpers/ks-reference.ts';

test('the committed datasets are exactly what fixtures/datasets/build.ts produces, and small', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-datasets-'));
  try {
    buildFixtureDatasets(dir);
    let total = 0;
    for (const spec of DATASETS) {
      const committed = readFileSync(join(DATASETS_DIR, spec.file));
      assert.ok(readFileSync(join(dir, spec.file)).equals(committed), `${spec.file} differs from a rebuild: run node --import tsx fixtures/datasets/build.ts`);
      total += statSync(join(DATASETS_DIR, spec.file)).size;
      const rows = readFixtureDataset(spec.file);
      assert.equal(rows.length, spec.rows);
      for (const row of rows) assert.equal(row.length, 16);
    }
    assert.ok(total < 500_000, `datasets total ${total} bytes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const column = (rows: number[][], j: number): number[] => rows.map((r) => r[j] as number);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => { const m = mean(xs); return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)); };
function corr(xs: number[], ys: number[]): number {
  const mx = mean(xs), my = mean(ys);
  let sxy = 0;
  xs.forEach((x, i) => { sxy += (x - mx) * ((ys[i] as number) - my); });
  return sxy / (xs.length - 1) / (sd(xs) * sd(ys));
}


/** Asymptotic two-sample KS critical value at level alpha (Smirnov): c(α)·√((n+m)/(nm)). */
const ksCritical = (n: number, m: number, alpha: number): number => Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));

test('each variant drifts exactly the features it says, as the two-sample KS sees it (Bonferroni, α = 0.05)', () => {
  const ref = readFixtureDataset('reference.jsonl');
  for (const spec of DATASETS.filter((d) => d.file !== 'reference.jsonl')) {
    const cur = readFixtureDataset(spec.file);
    const critical = ksCritical(ref.length, cur.length, 0.05 / 16);
    const flagged = Array.from({ length: 16 }, (_, j) => j).filter((j) => ksStatisticReference(column(ref, j), column(cur, j)) > critical);
    assert.deepEqual(flagged, [...spec.expect.ksFeatures], `${spec.file}: KS flags ${flagged.join(',')}`);
  }
});

test('mean-shift and variance variants move the moments they claim (within 4 standard errors)', () => {
  const ref = readFixtureDataset('reference.jsonl');
  const shifted = readFixtureDataset('drift-mean-shift.jsonl');
  for (const j of [3, 7, 12]) {
    const shiftInSd = (mean(column(shifted, j)) - mean(column(ref, j))) / (FEATURE_STDS[j] as number);
    const se = Math.sqrt(1 / ref.length + 1 / shifted.length);
    assert.ok(Math.abs(shiftInSd - 0.6) < 4 * se, `feature ${j}: shift ${shiftInSd} sd`);
  }
  const scaled = readFixtureDataset('drift-variance.jsonl');
  for (const j of [5, 9]) {
    const ratio = sd(column(scaled, j)) / sd(column(ref, j));
    assert.ok(Math.abs(ratio - 2) < 0.25, `feature ${j}: sd ratio ${ratio}`);
    const se = (2 * (FEATURE_STDS[j] as number)) / Math.sqrt(scaled.length);
    assert.ok(Math.abs(mean(column(scaled, j)) - (FEATURE_MEANS[j] as number)) < 4 * se, `feature ${j}: mean moved`);
  }
});

test('the correlation variant flips corr(f10, f11) while both marginals stay N(mean, std)', () => {
  const ref = readFixtureDataset('reference.jsonl');
  const flipped = readFixtureDataset('drift-correlation.jsonl');
  assert.ok(Math.abs(corr(column(ref, 10), column(ref, 11)) - 0.8) < 0.05);
  assert.ok(Math.abs(corr(column(flipped, 10), column(flipped, 11)) + 0.8) < 0.05);
  // One-sample KS of each standardised marginal against the N(0, 1) CDF, α = 0.05: 1.358/√n.
  const phi = (z: number): number => 0.5 * (1 + errorFunction(z / Math.SQRT2));
  for (const j of [10, 11]) {
    const z = column(flipped, j).map((v) => (v - (FEATURE_MEANS[j] as number)) / (FEATURE_STDS[j] as number)).sort((a, b) => a - b);
    let d = 0;
    z.forEach((v, i) => { d = Math.max(d, Math.abs(phi(v) - i / z.length), Math.abs(phi(v) - (i + 1) / z.length)); });
    assert.ok(d < 1.358 / Math.sqrt(z.length), `feature ${j}: D = ${d} against N(0, 1)`);
  }
});
