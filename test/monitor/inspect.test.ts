import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODELS_DIR } from '../../fixtures/models/build.ts';
import type { ModelInspection } from '../../monitor/inference/inspect.ts';
import { runVigil } from '../helpers/cli.ts';

/** `vigil monitor inspect`, through the real binary. */

test('inspect prints inputs, outputs with their roles, the ZipMap adaptation and the mapping (text and --json)', async () => {
  const file = join(MODELS_DIR, 'sklearn-logreg-zipmap.onnx');
  const text = await runVigil(['monitor', 'inspect', file]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /float_input\s+tensor\(float32\)\[N, 4\]\s+fed/);
  assert.match(text.stdout, /output_probability\s+seq\(map\(int64, tensor\(float32\)\)\)\s+scored, read as tensor\(float32\)\[N, 3\], classes 0, 1, 2/);
  assert.match(text.stdout, /ZipMap output_probability → Identity\(probabilities\)/);
  assert.match(text.stdout, /usable: yes/);

  const json = await runVigil(['monitor', 'inspect', file, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const r = JSON.parse(json.stdout) as ModelInspection;
  assert.equal(r.schema, 'vigil.model.inspection/v1');
  assert.equal(r.sha256, execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]);
  assert.deepEqual(r.outputs.map((o) => [o.name, o.role]), [['output_label', 'label'], ['output_probability', 'scored']]);
  assert.deepEqual(r.adaptations, [{ kind: 'zipmap', output: 'output_probability', from: 'probabilities', classLabels: [0, 1, 2] }]);
  assert.deepEqual(r.opsets, [{ domain: 'ai.onnx', version: 17 }, { domain: 'ai.onnx.ml', version: 3 }]);
});

test('inspect --reference shows which reference feature feeds which input, and the ones left to drift only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-inspect-'));
  const reference = join(dir, 'reference.csv');
  writeFileSync(reference, ['visits,tenure,income,age', ...Array.from({ length: 12 }, (_, i) => `${i % 4},${i},${3 + i / 10},${30 + i}`)].join('\n'));
  const run = await runVigil(['monitor', 'inspect', join(MODELS_DIR, 'pipeline-numeric.onnx'), '--reference', reference, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(run.stdout) as ModelInspection;
  assert.deepEqual(r.featureMapping?.inputs?.map((m) => `${m.input}:${m.elemType}←${m.features.join('+')}`), ['age:float32←age', 'income:float64←income', 'visits:int64←visits']);
  assert.deepEqual(r.featureMapping?.unused, ['tenure']);
});

test('inspect of a model the monitor would refuse prints the signature and the reason, exit 1', async () => {
  const run = await runVigil(['monitor', 'inspect', join(MODELS_DIR, 'pipeline-mixed.onnx')]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /city\s+tensor\(string\)\[N, 1\]/);
  assert.match(run.stdout, /usable: no — error\[VIGIL_MONITOR_MODEL_UNSUPPORTED\] .*input city is tensor\(string\)/);
});
