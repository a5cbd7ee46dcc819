import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runVigil } from '../helpers/cli.ts';
import { createMmdTest } from '../../monitor/drift/index.ts';
import { subsampleRows } from '../../monitor/drift/drift-test.ts';
import { estimateMemoryBytes } from '../../monitor/state/memory-budget.ts';
import { TOKEN_ENV, TOKENS, call, gaussianRows, startTestMonitor, writeReference } from './helpers.ts';

const D = 3;

test('MMD subsamples windows above drift.mmdMaxSamples (seeded, reported); KS keeps every row; /v1/status shows the worker heap', async () => {
  const reference = gaussianRows(80, D, 1);
  const svc = await startTestMonitor({ reference: writeReference(reference), window: 300, evaluateEvery: 100_000, minSamples: 10, drift: { mmdMaxSamples: 50, permutations: 30, seed: 4 } });
  try {
    const rows = gaussianRows(300, D, 2, 0.3);
    await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: rows } });
    const a = await svc.engine.evaluate();
    const b = await svc.engine.evaluate();
    assert.ok(a && b);
    assert.deepEqual(a.inputs.mmd.subsample, { maxSamples: 50, reference: 50, current: 50 });
    assert.equal(a.windowSamples, 300, 'KS sees the whole window');
    assert.equal(a.inputs.mmd.mmd2, b.inputs.mmd.mmd2, 'seeded: the same window gives the same subsample');
    // Independent check: the drift engine called directly on the same seeded subsamples.
    const toMatrix = (r: number[][]) => ({ data: Float64Array.from(r.flat()), rows: r.length, cols: D });
    const direct = createMmdTest(subsampleRows(toMatrix(reference), 50, 4), { permutations: 30, seed: 4, alpha: 0.05 }).test(subsampleRows(toMatrix(rows), 50, 5));
    assert.equal(a.inputs.mmd.mmd2, direct.mmd2);
    assert.equal(a.inputs.mmd.pValue, direct.pValue);

    const status = (await call(`${svc.url}/v1/status`, { token: TOKENS.viewer })).json as { memory: { worker: { heapUsedBytes: number; externalBytes: number } | null } };
    assert.ok(status.memory.worker && status.memory.worker.heapUsedBytes > 1e5 && status.memory.worker.heapUsedBytes < 2 ** 31, JSON.stringify(status.memory.worker));
  } finally {
    await svc.close();
  }
});

test('memory estimate: grows with window × features, MMD capped by mmdMaxSamples', () => {
  const base = { window: 100_000, features: 16, outputDim: 0, referenceRows: 1000, mmdMaxSamples: 5000 };
  const est = estimateMemoryBytes(base);
  // rings 100k×(16×8+1) + 2 snapshots + KS 100k×16×16, + MMD (5000²/2 + 1000²/2 + 1000×5000)×4 + small
  const expected = 3 * 100_000 * 129 + 100_000 * 16 * 16 + 4 * (12_500_000 + 500_000 + 5_000_000) + 8 * 6000 * 8;
  assert.equal(est, expected);
  assert.ok(estimateMemoryBytes({ ...base, window: 1_000_000 }) > 9 * (est - 4 * 18_000_000 - 384_000));
  assert.equal(estimateMemoryBytes({ ...base, mmdMaxSamples: 1_000_000 }) > est, true);
});

test('a window × features that would not fit --max-memory is refused at start (real process)', async () => {
  const run = await runVigil(['monitor', 'serve', '--reference', join(REPO_ROOT, 'fixtures/datasets/reference.jsonl'), '--port', '0', '--no-watch',
    '--window', '1000000', '--max-memory', '64MiB', '--log-level', 'silent'], { env: TOKEN_ENV, timeoutMs: 60_000 });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error\[VIGIL_MONITOR_MEMORY_BUDGET\] a window of 1000000 samples × 16 features .* needs about \d+ MiB, more than --max-memory 64 MiB/);
});
