import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createMicroBatcher, loadReferenceModel } from '../../monitor/inference/index.ts';
import type { BatchableModel, Batch, Prediction } from '../../monitor/inference/index.ts';
import { MODELS_DIR } from '../../fixtures/models/build.ts';

const CLASSIFIER = join(MODELS_DIR, 'classifier.onnx');

function rowsOf(n: number, salt = 0): number[][] {
  return Array.from({ length: n }, (_, r) => Array.from({ length: 16 }, (_, j) => Math.cos((r + salt) * 1.3 + j * 0.7) * 2));
}

function codeOf(code: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.equal((err as { code?: string }).code, code);
    return true;
  };
}

test('concurrent single rows are coalesced into one session.run, each getting its own row back', async () => {
  const model = await loadReferenceModel(CLASSIFIER);
  try {
    const rows = rowsOf(64);
    const expected = await model.predict({ data: Float64Array.from(rows.flat()), rows: 64, cols: 16 });
    // maxBatch reached → runs at once; the long delay is never waited for.
    const batcher = createMicroBatcher(model, { maxBatch: 64, maxDelayMs: 60_000 });
    const outs = await Promise.all(rows.map((row) => batcher.predictRow(row)));
    assert.deepEqual(batcher.stats(), { runs: 1, rows: 64, requests: 64, largestBatch: 64, queuedRows: 0 });
    outs.forEach((out, r) => assert.deepEqual(out, expected.data.slice(3 * r, 3 * r + 3)));
    await batcher.close();
  } finally {
    await model.close();
  }
});

test('rows queued in the same tick below maxBatch run together when the delay expires', async () => {
  const model = await loadReferenceModel(CLASSIFIER);
  try {
    const batcher = createMicroBatcher(model, { maxBatch: 64, maxDelayMs: 1 });
    const outs = await Promise.all(rowsOf(5).map((row) => batcher.predictRow(row)));
    assert.equal(outs.length, 5);
    assert.equal(batcher.stats().runs, 1);
    await batcher.close();
  } finally {
    await model.close();
  }
});

test('a burst larger than maxBatch is cut into batches of at most maxBatch; predictMany keeps its rows together', async () => {
  const model = await loadReferenceModel(CLASSIFIER);
  try {
    const batcher = createMicroBatcher(model, { maxBatch: 32, maxDelayMs: 60_000 });
    const rows = rowsOf(100);
    const expected = await model.predict({ data: Float64Array.from(rows.flat()), rows: 100, cols: 16 });
    const outs = await Promise.all(rows.map((row) => batcher.predictRow(row)));
    // 32 run at once; the 68 queued meanwhile go out as 32 + 32 + 4 as each run ends.
    assert.deepEqual(batcher.stats(), { runs: 4, rows: 100, requests: 100, largestBatch: 32, queuedRows: 0 });
    outs.forEach((out, r) => assert.deepEqual(out, expected.data.slice(3 * r, 3 * r + 3)));

    const many = rowsOf(50, 7);
    const single = rowsOf(1, 3)[0] as number[];
    const [big, one] = await Promise.all([batcher.predictMany(many), batcher.predictRow(single)]);
    const bigExpected = await model.predict({ data: Float64Array.from(many.flat()), rows: 50, cols: 16 });
    assert.deepEqual(big.data, bigExpected.data);
    assert.deepEqual([big.rows, big.cols], [50, 3]);
    assert.equal(one.length, 3);
    assert.equal(batcher.stats().largestBatch, 50);
    const asBatch = await batcher.predictMany({ data: Float64Array.from(many.flat()), rows: 50, cols: 16 });
    assert.deepEqual(asBatch.data, bigExpected.data);
    await batcher.close();
  } finally {
    await model.close();
  }
});

test('a row of the wrong width is rejected alone; a failed run rejects only its own requests', async () => {
  let calls = 0;
  const flaky: BatchableModel = {
    inputDim: 2, outputDim: 1,
    predict: async (b: Batch): Promise<Prediction> => {
      calls++;
      if (calls === 1) throw new Error('boom');
      const data = new Float32Array(b.rows);
      for (let r = 0; r < b.rows; r++) data[r] = (b.data[2 * r] as number) + (b.data[2 * r + 1] as number);
      return { data, rows: b.rows, cols: 1 };
    },
  };
  const batcher = createMicroBatcher(flaky, { maxBatch: 2, maxDelayMs: 60_000 });
  await assert.rejects(batcher.predictRow([1, 2, 3]), codeOf('VIGIL_MONITOR_MODEL_INPUT_SHAPE'));
  await assert.rejects(batcher.predictMany([[1, 2], [3]]), codeOf('VIGIL_MONITOR_MODEL_INPUT_SHAPE'));
  const results = await Promise.allSettled([batcher.predictRow([1, 2]), batcher.predictRow([3, 4]), batcher.predictRow([5, 6]), batcher.predictRow([7, 8])]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'fulfilled', 'fulfilled']);
  assert.deepEqual(results.slice(2).map((r) => (r.status === 'fulfilled' ? r.value[0] : NaN)), [11, 15]);
  await batcher.close();

  // A model that throws synchronously fails its batch, not the batcher.
  let n = 0;
  const throwing: BatchableModel = { inputDim: 1, outputDim: 1, predict: (b) => { if (n++ === 0) throw new Error('sync boom'); return Promise.resolve({ data: Float32Array.from(b.data), rows: b.rows, cols: 1 }); } };
  const b2 = createMicroBatcher(throwing, { maxBatch: 1, maxDelayMs: 0 });
  const settled = await Promise.allSettled([b2.predictRow([1]), b2.predictRow([2])]);
  assert.deepEqual(settled.map((r) => r.status), ['rejected', 'fulfilled']);
  await b2.close();
});

test('close runs what is queued and refuses new work; bad options are coded errors', async () => {
  const echo: BatchableModel = { inputDim: 1, outputDim: 1, predict: async (b) => ({ data: Float32Array.from(b.data), rows: b.rows, cols: 1 }) };
  const batcher = createMicroBatcher(echo, { maxBatch: 100, maxDelayMs: 60_000 });
  const pending = [batcher.predictRow([1]), batcher.predictRow([2])];
  await batcher.close();
  assert.deepEqual((await Promise.all(pending)).map((o) => o[0]), [1, 2]);
  await assert.rejects(batcher.predictRow([3]), codeOf('VIGIL_MONITOR_MODEL_CLOSED'));
  assert.throws(() => createMicroBatcher(echo, { maxBatch: 0, maxDelayMs: 1 }), codeOf('VIGIL_MONITOR_BATCHER_BAD_OPTION'));
  assert.throws(() => createMicroBatcher(echo, { maxBatch: 8, maxDelayMs: -1 }), codeOf('VIGIL_MONITOR_BATCHER_BAD_OPTION'));
});
