import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planModel, UnusableModel, type ModelSignature, type ValueSignature } from '../../monitor/inference/index.ts';

/** The plan from signatures written out by hand: which output is scored, which is the label, and every refusal's reason. */

const tensor = (name: string, elemType: string, shape: (number | string)[]): ValueSignature => ({ name, kind: 'tensor', elemType, shape, type: `tensor(${elemType})[${shape.join(', ')}]` });
const zipmapOut = (name: string): ValueSignature => ({ name, kind: 'sequence', type: 'seq(map(int64, tensor(float32)))' });
const sig = (inputs: ValueSignature[], outputs: ValueSignature[], zipMaps: ModelSignature['zipMaps'] = []): ModelSignature => ({ producer: '', irVersion: 8, opsets: [], inputs, outputs, zipMaps, operators: [] });
const x = tensor('x', 'float32', ['N', 4]);

test('the scored output: the only float, the adapted ZipMap, the one named *prob*, or --model-output', () => {
  assert.equal(planModel(sig([x], [tensor('label', 'int64', ['N']), tensor('y', 'float64', ['N', 1])])).scored.name, 'y');
  const zip = sig([x], [tensor('label', 'int64', ['N']), zipmapOut('p'), tensor('raw', 'float32', ['N', 3])], [{ name: 'z', input: 'probs', output: 'p', classLabels: [3, 5, 7], consumed: false }]);
  const plan = planModel(zip);
  assert.equal(plan.scored.name, 'p');
  assert.deepEqual(plan.scored.classLabels, [3, 5, 7]);
  assert.equal(plan.label?.name, 'label');
  assert.deepEqual(plan.ignoredOutputs, [{ name: 'raw', reason: 'another output is scored (--model-output picks it)' }]);
  assert.equal(planModel(zip, { outputName: 'raw' }).scored.name, 'raw');
  assert.equal(planModel(sig([x], [tensor('logits', 'float32', ['N', 3]), tensor('probabilities', 'float32', ['N', 3])])).scored.name, 'probabilities');
  assert.equal(planModel(sig([tensor('a', 'float32', ['N']), tensor('b', 'int64', ['N', 1])], [tensor('y', 'float32', ['N'])])).featureNames?.join(), 'a,b');
});

const REFUSALS: { what: string; s: ModelSignature; outputName?: string; reason: RegExp }[] = [
  { what: 'no input', s: sig([], [tensor('y', 'float32', ['N', 1])]), reason: /declares no input/ },
  { what: 'a bool input', s: sig([tensor('flag', 'bool', ['N', 1])], [tensor('y', 'float32', ['N', 1])]), reason: /input flag is tensor\(bool\)\[N, 1\]: only float32, float64, int64 and string inputs/ },
  { what: 'a rank-3 input', s: sig([tensor('img', 'float32', ['N', 2, 2])], [tensor('y', 'float32', ['N', 1])]), reason: /input img is .*: inputs must be \[N\] or \[N, d\]/ },
  { what: 'a symbolic width', s: sig([tensor('x', 'float32', ['N', 'd'])], [tensor('y', 'float32', ['N', 1])]), reason: /input x .*with a fixed d/ },
  { what: 'a wide input among several', s: sig([tensor('a', 'float32', ['N', 2]), tensor('b', 'float32', ['N', 1])], [tensor('y', 'float32', ['N', 1])]), reason: /input a .*with several inputs each must be one column/ },
  { what: 'a two-column string input', s: sig([tensor('s', 'string', ['N', 2])], [tensor('y', 'float32', ['N', 1])]), reason: /input s .*a string input must be one column/ },
  { what: 'two float outputs, none named prob', s: sig([x], [tensor('a', 'float32', ['N', 1]), tensor('b', 'float32', ['N', 1])]), reason: /outputs a, b are all float tensors: pick the scored one with --model-output NAME/ },
  { what: 'no float output', s: sig([x], [tensor('label', 'int64', ['N']), zipmapOut('p')]), reason: /no output is a float tensor .*p: seq\(map\(int64, tensor\(float32\)\)\) \(not a ZipMap it can replace\)/ },
  { what: '--model-output naming the label', s: sig([x], [tensor('label', 'int64', ['N']), tensor('p', 'float32', ['N', 3])]), outputName: 'label', reason: /output label is tensor\(int64\)\[N\]: the scored output must be a float32\/float64 tensor .*observed as the label/ },
  { what: '--model-output naming nothing', s: sig([x], [tensor('p', 'float32', ['N', 3])]), outputName: 'q', reason: /--model-output q: the model has no output of that name \(outputs: p\)/ },
  { what: 'a rank-3 scored output', s: sig([x], [tensor('p', 'float32', ['N', 3, 2])]), reason: /output p .*must be \[N\] or \[N, k\] with a fixed k/ },
];

for (const r of REFUSALS) {
  test(`refused, naming it: ${r.what}`, () => {
    assert.throws(() => planModel(r.s, r.outputName ? { outputName: r.outputName } : {}), (err: unknown) => {
      assert.ok(err instanceof UnusableModel);
      assert.match(err.message, r.reason);
      return true;
    });
  });
}

test('a ZipMap whose output another node reads is not replaced, and its output is not scored', () => {
  const s = sig([x], [zipmapOut('p'), tensor('y', 'float32', ['N', 1])], [{ name: 'z', input: 'probs', output: 'p', classLabels: [0, 1], consumed: true }]);
  const plan = planModel(s);
  assert.deepEqual(plan.adaptations, []);
  assert.equal(plan.scored.name, 'y');
});
