import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildFixtureModels, MODELS_DIR } from '../../fixtures/models/build.ts';
import { FIXTURE_MODELS, mlpWeights } from '../../fixtures/models/mlp.ts';
import { EXPORTED_MODELS } from '../../fixtures/models/exported.ts';
import type { MlpSpec } from '../../fixtures/models/mlp.ts';
import { forwardReference } from './forward-reference.ts';
import { createRng } from '../../fixtures/servers/rng.ts';

test('the committed fixture models are exactly what fixtures/models/build.ts produces', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-models-'));
  try {
    const files = buildFixtureModels(dir);
    assert.equal(files.length, FIXTURE_MODELS.length + EXPORTED_MODELS.length);
    for (const file of [...FIXTURE_MODELS, ...EXPORTED_MODELS].map((spec) => spec.file)) {
      const rebuilt = readFileSync(join(dir, file));
      const committed = readFileSync(join(MODELS_DIR, file));
      assert.ok(rebuilt.equals(committed), `${file} differs from a rebuild: run node --import tsx fixtures/models/build.ts`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function checkAgainstReference(spec: MlpSpec): Promise<void> {
  const session = await ort.InferenceSession.create(join(MODELS_DIR, spec.file));
  try {
    assert.deepEqual(session.inputNames, [spec.inputName]);
    assert.deepEqual(session.outputNames, [spec.outputName]);
    const weights = mlpWeights(spec);
    const rng = createRng(7);
    const argmaxes = new Set<number>();
    for (const rows of [1, 5, 64, 257]) {
      const x: number[][] = Array.from({ length: rows }, () => Array.from({ length: 16 }, (_, j) => (weights.mean[j] as number) + (weights.std[j] as number) * 1.5 * rng.normal()));
      const feeds = { [spec.inputName]: new ort.Tensor('float32', Float32Array.from(x.flat()), [rows, 16]) };
      const out = (await session.run(feeds))[spec.outputName];
      assert.ok(out);
      assert.deepEqual(out.dims, [rows, spec.outputs]);
      const data = out.data as Float32Array;
      x.forEach((row, r) => {
        // float32 inputs on the model side: feed the reference the same rounded values.
        const expected = forwardReference(weights, spec.softmax, row.map((v) => Math.fround(v)));
        expected.forEach((e, k) => {
          const got = data[r * spec.outputs + k] as number;
          assert.ok(Math.abs(got - e) <= 1e-4 * Math.max(1, Math.abs(e)), `${spec.file} row ${r} output ${k}: onnxruntime ${got}, reference ${e}`);
        });
        if (spec.softmax) argmaxes.add(expected.indexOf(Math.max(...expected)));
      });
    }
    // A classifier that always answers the same class would make parity tests meaningless.
    if (spec.softmax) assert.equal(argmaxes.size, spec.outputs, 'every class is predicted for some input');
  } finally {
    await session.release();
  }
}

for (const spec of FIXTURE_MODELS) {
  test(`${spec.file}: onnxruntime matches a plain-JS forward pass for batch sizes 1, 5, 64, 257`, () => checkAgainstReference(spec));
}
