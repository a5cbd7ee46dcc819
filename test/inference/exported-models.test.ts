import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createMicroBatcher, loadReferenceModel, referenceModelFromBytes } from '../../monitor/inference/index.ts';
import { DEFAULT_META, encodeModel, node, tensorValueInfo, zipMapValueInfo } from '../../fixtures/models/onnx-builder.ts';
import { OnnxDataType } from '../../fixtures/models/onnx-schema.ts';
import { MODELS_DIR } from '../../fixtures/models/build.ts';
import { createRng } from '../../fixtures/servers/rng.ts';
import { EXPECTED, logregWeights } from '../models/exported-reference.ts';

/**
 * The exporter-shaped fixtures through the reference model (signature → plan → ZipMap adapted in
 * memory → onnxruntime), against the plain-JS computation of test/models/exported-reference.ts.
 */

function codeOf(code: string, mentions?: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.equal((err as { code?: string }).code, code, (err as Error).message);
    if (mentions) assert.match((err as Error).message, new RegExp(mentions));
    return true;
  };
}

const rng = createRng(17);
const rowsOf = (n: number, width: number, scale = 1.5) => Array.from({ length: n }, () => Array.from({ length: width }, () => rng.normal() * scale));

interface Case {
  file: string;
  width: number;
  scored: string;
  label?: string;
  zipmap?: boolean;
  /** Integers in these columns (int64 inputs). */
  intColumns?: number[];
}

const CASES: Case[] = [
  { file: 'sklearn-logreg-zipmap.onnx', width: 4, scored: 'output_probability', label: 'output_label', zipmap: true },
  { file: 'sklearn-logreg.onnx', width: 4, scored: 'output_probability', label: 'output_label' },
  { file: 'lightgbm-trees-zipmap.onnx', width: 4, scored: 'probabilities', label: 'label', zipmap: true },
  { file: 'float64-regressor.onnx', width: 4, scored: 'variable' },
  { file: 'pipeline-numeric.onnx', width: 3, scored: 'variable', intColumns: [2] },
];

for (const c of CASES) {
  test(`${c.file}: scored output within 1e-4 and labels exactly as computed in plain JS, batches of 1, 7 and 64`, async () => {
    const path = join(MODELS_DIR, c.file);
    const model = await loadReferenceModel(path);
    try {
      assert.equal(model.sha256, execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0], 'SHA-256 of the file on disk, not of the adapted bytes');
      assert.equal(model.outputName, c.scored);
      assert.equal(model.inputDim, c.width);
      assert.equal(model.plan.label?.name, c.label);
      assert.deepEqual(model.plan.adaptations.map((a) => a.output), c.zipmap ? [c.scored] : []);
      const labelsSeen = new Set<number>();
      for (const n of [1, 7, 64]) {
        const rows = rowsOf(n, c.width).map((r) => r.map((v, j) => (c.intColumns?.includes(j) ? Math.round(Math.abs(v) * 3) : v)));
        const out = await model.predict({ data: Float64Array.from(rows.flat()), rows: n, cols: c.width });
        assert.equal(out.rows, n);
        rows.forEach((row, i) => {
          const expected = (EXPECTED[c.file] as (x: number[]) => { scores: readonly number[]; label?: number })(row);
          expected.scores.forEach((e, k) => {
            const got = out.data[i * out.cols + k] as number;
            assert.ok(Math.abs(got - e) <= 1e-4, `row ${i} output ${k}: onnxruntime ${got}, plain JS ${e}`);
          });
          if (c.label) {
            assert.equal(out.labels?.[i], expected.label, `row ${i} label`);
            labelsSeen.add(expected.label as number);
          }
        });
      }
      if (c.label) assert.equal(labelsSeen.size, 3, 'every class is predicted for some row, so a wrong label would show');
    } finally {
      await model.close();
    }
  });
}

test('the float64 regressor keeps float64 precision end to end (no float32 rounding of inputs or outputs)', async () => {
  const model = await loadReferenceModel(join(MODELS_DIR, 'float64-regressor.onnx'));
  try {
    const row = [1000.123456789, -2000.987654321, 3.000000001, 0.1];
    const out = await model.predict({ data: Float64Array.from(row), rows: 1, cols: 4 });
    assert.ok(out.data instanceof Float64Array);
    const expected = (EXPECTED['float64-regressor.onnx'] as (x: number[]) => { scores: readonly number[] })(row).scores[0] as number;
    assert.ok(Math.abs((out.data[0] as number) - expected) <= 1e-9, `${out.data[0]} vs ${expected}`);
  } finally {
    await model.close();
  }
});

test('--model-output picks the scored output; a label, an unknown name and a string input are refused naming them', async () => {
  const logreg = join(MODELS_DIR, 'sklearn-logreg.onnx');
  const model = await loadReferenceModel(logreg, { outputName: 'output_probability', readLabel: false });
  try {
    const out = await model.predict({ data: new Float64Array(4), rows: 1, cols: 4 });
    assert.equal(out.labels, undefined, 'the label is not fetched when readLabel is false');
  } finally {
    await model.close();
  }
  await assert.rejects(loadReferenceModel(logreg, { outputName: 'output_label' }), codeOf('VIGIL_MONITOR_MODEL_UNSUPPORTED', 'output output_label is tensor\\(int64\\)'));
  await assert.rejects(loadReferenceModel(logreg, { outputName: 'nope' }), codeOf('VIGIL_MONITOR_MODEL_UNSUPPORTED', 'no output of that name'));
});

test('an int64 input given a fraction is refused with a coded 400 naming the input and row', async () => {
  const model = await loadReferenceModel(join(MODELS_DIR, 'pipeline-numeric.onnx'));
  try {
    await assert.rejects(model.predict({ data: Float64Array.from([30, 1000, 2, 31, 1200, 2.5]), rows: 2, cols: 3 }), (err: unknown) => {
      assert.equal((err as { code?: string }).code, 'VIGIL_MONITOR_MODEL_INPUT_VALUE');
      assert.equal((err as { status?: number }).status, 400);
      assert.match((err as Error).message, /input visits, row 1: 2\.5/);
      return true;
    });
  } finally {
    await model.close();
  }
});

test('the micro-batcher fetches the label only for batches where a request asks for it, and hands each request its rows\' labels', async () => {
  const model = await loadReferenceModel(join(MODELS_DIR, 'lightgbm-trees-zipmap.onnx'), { readLabel: false });
  const batcher = createMicroBatcher(model, { maxBatch: 64, maxDelayMs: 5 });
  try {
    const a = rowsOf(3, 4);
    const b = rowsOf(2, 4);
    const [withLabels, without] = await Promise.all([batcher.predictMany(a, { labels: true }), batcher.predictMany(b)]);
    assert.equal(batcher.stats().runs, 1, 'both requests ran in one session.run');
    const expectedLabels = a.map((row) => (EXPECTED['lightgbm-trees-zipmap.onnx'] as (x: number[]) => { label?: number })(row).label);
    assert.deepEqual(withLabels.labels, expectedLabels);
    assert.equal(without.labels?.length, 2, 'a request in the same run gets its own rows\' labels');
    const alone = await batcher.predictMany(b);
    assert.equal(alone.labels, undefined, 'a run where nobody asks for labels does not fetch them');
  } finally {
    await batcher.close();
    await model.close();
  }
});

test('pipeline-mixed.onnx: a string input is fed category values decoded from codes through the vocabulary; parity with plain JS', async () => {
  const model = await loadReferenceModel(join(MODELS_DIR, 'pipeline-mixed.onnx'));
  try {
    assert.deepEqual(model.plan.inputs.map((i) => `${i.name}:${i.elemType}:${i.categorical ? 'categorical' : 'numeric'}`), ['age:float32:numeric', 'income:float64:numeric', 'city:string:categorical']);
    // The vocabulary in another order than the model's one-hot categories: values, not positions, must reach the model.
    const vocabulary = ['east', 'north', 'south', 'west'];
    const rows = Array.from({ length: 30 }, (_, i) => [40 + 10 * rng.normal(), 3 + rng.normal(), i % 4]);
    const out = await model.predict({ data: Float64Array.from(rows.flat()), rows: 30, cols: 3, vocabularies: { 2: vocabulary } }, { labels: true });
    rows.forEach((row, i) => {
      const expected = (EXPECTED['pipeline-mixed.onnx'] as (x: (number | string)[]) => { scores: readonly number[]; label?: number })([row[0] as number, row[1] as number, vocabulary[row[2] as number] as string]);
      expected.scores.forEach((e, k) => assert.ok(Math.abs((out.data[i * 3 + k] as number) - e) <= 1e-4, `row ${i} output ${k}`));
      assert.equal(out.labels?.[i], expected.label);
    });
    await assert.rejects(model.predict({ data: Float64Array.from([40, 3, 0]), rows: 1, cols: 3 }), codeOf('VIGIL_MONITOR_MODEL_INPUT_VALUE', 'input city'));
    await assert.rejects(model.predict({ data: Float64Array.from([40, 3, 9]), rows: 1, cols: 3, vocabularies: { 2: vocabulary } }), codeOf('VIGIL_MONITOR_MODEL_INPUT_VALUE', 'a category code below 4'));
  } finally {
    await model.close();
  }
});

test('a classifier with string class labels: the ZipMap is adapted with its labels, and the string label output is read', async () => {
  const w = logregWeights;
  const names = ['setosa', 'versicolor', 'virginica'];
  const bytes = encodeModel({
    name: 'strings', docString: '', initializer: [],
    node: [
      node('LinearClassifier', 'lc', ['float_input'], ['output_label', 'probabilities'], {
        classlabels_strings: { strings: names }, coefficients: { floats: w.coefficients }, intercepts: { floats: w.intercepts }, post_transform: { string: 'SOFTMAX' },
      }, 'ai.onnx.ml'),
      node('ZipMap', 'zm', ['probabilities'], ['output_probability'], { classlabels_strings: { strings: names } }, 'ai.onnx.ml'),
    ],
    input: [tensorValueInfo('float_input', OnnxDataType.FLOAT, ['N', 4])],
    output: [tensorValueInfo('output_label', OnnxDataType.STRING, ['N']), zipMapValueInfo('output_probability', OnnxDataType.STRING)],
  }, { ...DEFAULT_META, docString: '', extraOpsets: [{ domain: 'ai.onnx.ml', version: 3 }] });
  const model = await referenceModelFromBytes(bytes, 'string-labels.onnx');
  try {
    assert.deepEqual(model.plan.scored.classLabels, names);
    assert.deepEqual(model.plan.label, { name: 'output_label', elemType: 'string' });
    const rows = rowsOf(20, 4);
    const out = await model.predict({ data: Float64Array.from(rows.flat()), rows: 20, cols: 4 }, { labels: true });
    rows.forEach((row, i) => {
      const expected = (EXPECTED['sklearn-logreg.onnx'] as (x: number[]) => { scores: readonly number[]; label?: number })(row);
      expected.scores.forEach((e, k) => assert.ok(Math.abs((out.data[i * 3 + k] as number) - e) <= 1e-4));
      assert.equal(out.labels?.[i], names[expected.label as number]);
    });
  } finally {
    await model.close();
  }
});
