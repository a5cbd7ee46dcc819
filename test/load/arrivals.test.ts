import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { arrivalPositions } from '../../load/arrivals.ts';
import { constantSchedule, stagesSchedule } from '../../load/schedule.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

/** scipy.stats.gamma(a=K, scale=1/K).ppf at 1 %, 2 %, … 99 % (fixtures/arrivals-golden/generate.py). */
const golden = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'arrivals-golden', 'gamma-quantiles.json'), 'utf8')) as { probabilities: number[]; shapes: Record<string, number[]> };

const N = 20_000;
/** Kolmogorov–Smirnov critical value at α = 0.001 for n = N: a correct sampler exceeds it once in a thousand seeds. */
const KS_CRIT = 1.95 / Math.sqrt(N);

function gaps(kind: 'poisson' | 'gamma', burstiness: number, seed: number): number[] {
  const pos = arrivalPositions({ kind, burstiness, seed });
  const out: number[] = [];
  let prev = pos(0);
  assert.equal(prev, 0, 'the first arrival is at the start');
  for (let i = 1; i <= N; i++) {
    const u = pos(i);
    out.push(u - prev);
    prev = u;
  }
  return out;
}

test('arrivals: gamma gaps follow Gamma(K, 1/K) at the quantiles scipy computes (K = 0.25 … 4), Poisson = K 1', () => {
  for (const [shape, quantiles] of Object.entries(golden.shapes)) {
    const k = Number(shape);
    const g = gaps(k === 1 ? 'poisson' : 'gamma', k, 7);
    let worst = 0;
    golden.probabilities.forEach((p, j) => {
      const below = g.filter((x) => x <= (quantiles[j] as number)).length / N;
      worst = Math.max(worst, Math.abs(below - p));
    });
    assert.ok(worst < KS_CRIT, `K=${k}: largest distance between the empirical CDF and scipy's ${worst.toFixed(4)} ≥ ${KS_CRIT.toFixed(4)}`);
    const mean = g.reduce((a, b) => a + b, 0) / N;
    const cv = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1)) / mean;
    // mean 1 (so the offered rate is kept), CV 1/√K: within 5 standard errors
    assert.ok(Math.abs(mean - 1) < 5 / Math.sqrt(k * N), `K=${k}: mean gap ${mean}`);
    assert.ok(Math.abs(cv - 1 / Math.sqrt(k)) < 0.05 / Math.sqrt(k) + 0.02, `K=${k}: CV ${cv}`);
  }
});

test('arrivals: seeded and repeatable; asking out of order replays the same sequence; constant is i', () => {
  const a = arrivalPositions({ kind: 'gamma', burstiness: 0.5, seed: 3 });
  const b = arrivalPositions({ kind: 'gamma', burstiness: 0.5, seed: 3 });
  const forward = [0, 1, 2, 3, 50].map(a);
  assert.deepEqual([50, 3, 0, 1, 2].map(b).sort((x, y) => x - y), [...forward].sort((x, y) => x - y));
  assert.notDeepEqual(forward, [0, 1, 2, 3, 50].map(arrivalPositions({ kind: 'gamma', burstiness: 0.5, seed: 4 })));
  assert.deepEqual([0, 1, 7].map(arrivalPositions({ kind: 'constant', burstiness: 1, seed: 1 })), [0, 1, 7]);
  assert.deepEqual([0, 1, 7].map(arrivalPositions(undefined)), [0, 1, 7]);
});

test('arrivals: a constant rate and a ramp are driven by the same positions', () => {
  const pos = arrivalPositions({ kind: 'poisson', burstiness: 1, seed: 9 });
  const c = constantSchedule(200, pos);
  for (const i of [0, 1, 10, 999]) assert.equal(c.at(i), pos(i) * 5);
  // Ramp 0→100 req/s over 10 s: N(t) = 5 t², so the arrival at position u is at sqrt(u/5) s.
  const s = stagesSchedule([{ durationMs: 10_000, target: 100 }], 0, pos);
  let n = 0;
  for (let i = 0; ; i++) {
    const t = s.at(i);
    if (t === undefined) break;
    assert.ok(Math.abs(t - Math.sqrt(pos(i) / 5) * 1000) < 1e-6, `arrival ${i}`);
    n++;
  }
  // The ramp offers 500 arrivals on average; the Poisson count has standard deviation √500 ≈ 22.
  assert.ok(Math.abs(n - 500) < 5 * Math.sqrt(500), `arrivals in the ramp: ${n}`);
  assert.equal(pos(n) >= 500 - 1e-9, true);
});
