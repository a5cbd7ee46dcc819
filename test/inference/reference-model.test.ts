import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadReferenceModel } from '../../monitor/inference/index.ts';
import { MODELS_DIR } from '../../fixtures/models/build.ts';
import { DEFAULT_META, encodeModel, floatValueInfo, node } from '../../fixtures/models/onnx-builder.ts';

const CLASSIFIER = join(MODELS_DIR, 'classifier.onnx');
const REGRESSOR = join(MODELS_DIR, 'regressor.onnx');

/** SHA-256 by coreutils, an implementation independent of node:crypto. */
function sha256sum(file: string): string {
  return execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0] as string;
}

function codeOf(code: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.equal((err as { code?: string }).code, code);
    return true;
  };
}

test('loadReferenceModel reads names, shapes and the SHA-256 of the model', async () => {
  const model = await loadReferenceModel(CLASSIFIER);
  try {
    assert.equal(model.path, CLASSIFIER);
    assert.equal(model.sha256, sha256sum(CLASSIFIER));
    assert.equal(model.inputName, 'features');
    assert.equal(model.outputName, 'probabilities');
    assert.deepEqual(model.inputShape, ['batch', 16]);
    assert.deepEqual(model.outputShape, ['batch', 3]);
    assert.equal(model.inputDim, 16);
    assert.equal(model.outputDim, 3);
    assert.ok(model.loadTimeMs > 0);
  } finally {
    await model.close();
  }
  const regressor = await loadReferenceModel(REGRESSOR, { expectedSha256: sha256sum(REGRESSOR).toUpperCase() });
  assert.deepEqual([regressor.outputName, regressor.outputDim], ['prediction', 1]);
  await regressor.close();
});

test('a SHA-256 mismatch refuses to load the model', async () => {
  const wrong = sha256sum(REGRESSOR); // a real digest, of another file
  await assert.rejects(loadReferenceModel(CLASSIFIER, { expectedSha256: wrong }), (err: unknown) => {
    assert.equal((err as { code?: string }).code, 'VIGIL_MONITOR_MODEL_SHA256_MISMATCH');
    assert.match((err as Error).message, new RegExp(sha256sum(CLASSIFIER)));
    return true;
  });
  await assert.rejects(loadReferenceModel(CLASSIFIER, { expectedSha256: 'abc123' }), codeOf('VIGIL_MONITOR_MODEL_BAD_SHA256'));
});

test('unreadable, corrupt and unsupported model files are coded errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-inference-'));
  try {
    await assert.rejects(loadReferenceModel(join(dir, 'missing.onnx')), codeOf('VIGIL_MONITOR_MODEL_NOT_FOUND'));
    const garbage = join(dir, 'garbage.onnx');
    writeFileSync(garbage, 'this is not a protobuf');
    await assert.rejects(loadReferenceModel(garbage), codeOf('VIGIL_MONITOR_MODEL_LOAD_FAILED'));
    const twoInputs = join(dir, 'two-inputs.onnx');
    writeFileSync(twoInputs, encodeModel({
      name: 'add', docString: '', initializer: [],
      node: [node('Add', 'add', ['a', 'b'], ['y'])],
      input: [floatValueInfo('a', ['batch', 4]), floatValueInfo('b', ['batch', 4])],
      output: [floatValueInfo('y', ['batch', 4])],
    }, { ...DEFAULT_META, docString: '' }));
    await assert.rejects(loadReferenceModel(twoInputs), codeOf('VIGIL_MONITOR_MODEL_UNSUPPORTED'));
    const rank3 = join(dir, 'rank3.onnx');
    writeFileSync(rank3, encodeModel({
      name: 'relu', docString: '', initializer: [],
      node: [node('Relu', 'relu', ['x'], ['y'])],
      input: [floatValueInfo('x', ['n', 2, 2])], output: [floatValueInfo('y', ['n', 2, 2])],
    }, { ...DEFAULT_META, docString: '' }));
    await assert.rejects(loadReferenceModel(rank3), codeOf('VIGIL_MONITOR_MODEL_UNSUPPORTED'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('predict runs a batch in one call and agrees with a direct onnxruntime session', async () => {
  const model = await loadReferenceModel(CLASSIFIER);
  const session = await ort.InferenceSession.create(CLASSIFIER);
  try {
    const rows = 40;
    const x64 = Float64Array.from({ length: rows * 16 }, (_, i) => Math.sin(i * 0.37) * 3);
    const out = await model.predict({ data: x64, rows, cols: 16 });
    assert.equal(out.rows, rows);
    assert.equal(out.cols, 3);
    assert.equal(out.data.length, rows * 3);
    const direct = await session.run({ features: new ort.Tensor('float32', Float32Array.from(x64), [rows, 16]) });
    assert.deepEqual(out.data, direct.probabilities?.data);
    // Float32 input gives the same numbers; every row is a probability vector.
    const out32 = await model.predict({ data: Float32Array.from(x64), rows, cols: 16 });
    assert.deepEqual(out32.data, out.data);
    for (let r = 0; r < rows; r++) assert.ok(Math.abs((out.data[3 * r] as number) + (out.data[3 * r + 1] as number) + (out.data[3 * r + 2] as number) - 1) < 1e-5);
    const empty = await model.predict({ data: new Float64Array(0), rows: 0, cols: 16 });
    assert.deepEqual([empty.rows, empty.cols, empty.data.length], [0, 3, 0]);
    await assert.rejects(model.predict({ data: new Float64Array(15), rows: 1, cols: 15 }), codeOf('VIGIL_MONITOR_MODEL_INPUT_SHAPE'));
    await assert.rejects(model.predict({ data: new Float64Array(16), rows: 2, cols: 16 }), codeOf('VIGIL_MONITOR_MODEL_INPUT_SHAPE'));
  } finally {
    await model.close();
    await session.release();
  }
  await assert.rejects(model.predict({ data: new Float64Array(16), rows: 1, cols: 16 }), codeOf('VIGIL_MONITOR_MODEL_CLOSED'));
});
