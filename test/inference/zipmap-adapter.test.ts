import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { readModelSignature, replaceZipMaps } from '../../monitor/inference/index.ts';
import { MODELS_DIR } from '../../fixtures/models/build.ts';

const ZIPMAP_MODEL = readFileSync(join(MODELS_DIR, 'sklearn-logreg-zipmap.onnx'));

test('the signature reads a ZipMap output as a sequence of maps, with its class labels and the tensor feeding it', () => {
  const sig = readModelSignature(ZIPMAP_MODEL);
  assert.deepEqual(sig.inputs.map((i) => i.type), ['tensor(float32)[N, 4]']);
  assert.deepEqual(sig.outputs.map((o) => `${o.name} ${o.type}`), ['output_label tensor(int64)[N]', 'output_probability seq(map(int64, tensor(float32)))']);
  assert.deepEqual(sig.zipMaps.map((z) => ({ input: z.input, output: z.output, labels: z.classLabels, consumed: z.consumed })), [
    { input: 'probabilities', output: 'output_probability', labels: [0, 1, 2], consumed: false },
  ]);
  assert.ok(sig.operators.includes('ai.onnx.ml.ZipMap') && sig.operators.includes('ai.onnx.ml.LinearClassifier'));
});

test('replacing the ZipMap leaves a float tensor output and keeps every field it does not touch, byte for byte', () => {
  // A ModelProto field the subset schema does not know (metadata_props = 14: {key: "k", value: "v"}),
  // appended as raw wire bytes: a decode/re-encode through the schema would drop it.
  const entry = protobuf.Writer.create().uint32((1 << 3) | 2).string('k').uint32((2 << 3) | 2).string('v').finish();
  const metadata = protobuf.Writer.create().uint32((14 << 3) | 2).bytes(entry).finish();
  const original = Buffer.concat([ZIPMAP_MODEL, metadata]);
  const adapted = replaceZipMaps(original, readModelSignature(original).zipMaps);
  assert.ok(Buffer.from(adapted).subarray(adapted.length - metadata.length).equals(Buffer.from(metadata)), 'metadata_props kept');
  const sig = readModelSignature(adapted);
  assert.deepEqual(sig.outputs.map((o) => `${o.name} ${o.type}`), ['output_label tensor(int64)[N]', 'output_probability tensor(float32)[N, 3]']);
  assert.deepEqual(sig.zipMaps, []);
  assert.ok(sig.operators.includes('Identity') && !sig.operators.includes('ai.onnx.ml.ZipMap'));
  assert.ok(Buffer.from(original).subarray(0, ZIPMAP_MODEL.length).equals(ZIPMAP_MODEL), 'the input bytes are not modified');
});

test('a model without a ZipMap is returned as is', () => {
  const plain = readFileSync(join(MODELS_DIR, 'sklearn-logreg.onnx'));
  assert.equal(replaceZipMaps(plain, readModelSignature(plain).zipMaps), plain);
});
