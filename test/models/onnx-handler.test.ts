import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { MODELS_DIR } from '../../fixtures/models/build.ts';
import { FIXTURE_MODELS, mlpWeights } from '../../fixtures/models/mlp.ts';
import { DEFAULT_META, encodeModel, floatValueInfo, node } from '../../fixtures/models/onnx-builder.ts';
import { readFixtureDataset } from '../../fixtures/datasets/build.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { send } from '../fixtures/http.ts';
import { argmax, forwardReference } from './forward-reference.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const agent = new Agent({ keepAlive: true });
after(() => agent.destroy());

const CLASSIFIER = FIXTURE_MODELS[0]!;
const CLASSIFIER_PATH = join(MODELS_DIR, CLASSIFIER.file);
const weights = mlpWeights(CLASSIFIER);

async function predict(url: string, inputs: unknown): Promise<{ status: number; json: { outputs?: number[][]; code?: string; statusCode?: number } }> {
  const reply = await send(`${url}/predict`, { body: JSON.stringify(inputs), agent });
  return { status: reply.status, json: JSON.parse(reply.body) };
}

function assertClose(got: readonly number[], expected: readonly number[], what: string): void {
  assert.equal(got.length, expected.length, what);
  got.forEach((g, k) => assert.ok(Math.abs(g - (expected[k] as number)) <= 1e-4 * Math.max(1, Math.abs(expected[k] as number)), `${what}[${k}]: ${g} vs ${expected[k]}`));
}

test('--model serves the ONNX model at /predict; the preprocessing bug skips the standardisation', async () => {
  const inputs = readFixtureDataset('current-clean.jsonl').slice(0, 200);
  const good = await startFixtureServer({ model: { path: CLASSIFIER_PATH } });
  const buggy = await startFixtureServer({ model: { path: CLASSIFIER_PATH, preprocessingBug: true } });
  try {
    const a = await predict(good.url, { inputs });
    const b = await predict(buggy.url, { inputs });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const goodOut = a.json.outputs as number[][];
    const buggyOut = b.json.outputs as number[][];
    assert.equal(goodOut.length, inputs.length);
    let agree = 0;
    inputs.forEach((row, r) => {
      const x = row.map((v) => Math.fround(v));
      assertClose(goodOut[r] as number[], forwardReference(weights, true, x), `good row ${r}`);
      // The bug is exactly "standardisation skipped", and still answers probability vectors.
      assertClose(buggyOut[r] as number[], forwardReference(weights, true, x, true), `buggy row ${r}`);
      if (argmax(goodOut[r] as number[]) === argmax(buggyOut[r] as number[])) agree++;
    });
    // Material: a large share of the classes change (≈ half on this data), not every one.
    assert.ok(agree / inputs.length < 0.8 && agree / inputs.length > 0.2, `argmax agreement ${agree / inputs.length}`);
  } finally {
    await good.close();
    await buggy.close();
  }
});

test('bad /predict bodies are 400 with a code, and the server keeps serving', async () => {
  const server = await startFixtureServer({ model: { path: join(MODELS_DIR, 'regressor.onnx') } });
  try {
    const cases: unknown[] = [{}, { inputs: [] }, { inputs: [[1, 2, 3]] }, { inputs: [Array(16).fill('NaN')] }, { inputs: 'x' }, [1, 2]];
    for (const body of cases) {
      const r = await predict(server.url, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.code, 'VIGIL_FIXTURE_BAD_INPUTS');
      assert.equal(r.json.statusCode, 400);
    }
    const ok = await predict(server.url, { inputs: [Array(16).fill(0.5), Array(16).fill(-1)] });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json.outputs?.map((o) => o.length), [1, 1]);
  } finally {
    await server.close();
  }
});

test('--preprocessing-bug on a model without standardisation refuses to start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-handler-'));
  try {
    const plain = join(dir, 'relu.onnx');
    writeFileSync(plain, encodeModel({
      name: 'relu', docString: '', initializer: [], node: [node('Relu', 'relu', ['x'], ['y'])],
      input: [floatValueInfo('x', ['batch', 4])], output: [floatValueInfo('y', ['batch', 4])],
    }, { ...DEFAULT_META, docString: '' }));
    await assert.rejects(startFixtureServer({ model: { path: plain, preprocessingBug: true } }), { code: 'VIGIL_FIXTURE_NO_STANDARDISATION' });
    const server = await startFixtureServer({ model: { path: plain } });
    const r = await predict(server.url, { inputs: [[-1, 2, -3, 4]] });
    assert.deepEqual(r.json.outputs, [[0, 2, 0, 4]]);
    await server.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the standalone server takes --model and --preprocessing-bug', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'fixtures/servers/model-server.ts'), '--port', '0',
    '--model', CLASSIFIER_PATH, '--preprocessing-bug'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const [line] = await once(createInterface({ input: child.stdout }), 'line') as [string];
    const url = /^listening (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
    assert.ok(url, line);
    const row = readFixtureDataset('reference.jsonl')[0] as number[];
    const r = await predict(url, { inputs: [row] });
    assertClose((r.json.outputs as number[][])[0] as number[], forwardReference(weights, true, row.map((v) => Math.fround(v)), true), 'cli buggy row');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit') as [number];
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('PUT /__fixture/config switches the preprocessing bug on at run time', async () => {
  const server = await startFixtureServer({ model: { path: CLASSIFIER_PATH } });
  try {
    const row = readFixtureDataset('reference.jsonl')[1] as number[];
    const x = row.map((v) => Math.fround(v));
    assertClose(((await predict(server.url, { inputs: [row] })).json.outputs as number[][])[0] as number[], forwardReference(weights, true, x), 'before');
    const put = await send(`${server.url}/__fixture/config`, { method: 'PUT', body: JSON.stringify({ model: { path: CLASSIFIER_PATH, preprocessingBug: true } }), agent });
    assert.equal(put.status, 200);
    assertClose(((await predict(server.url, { inputs: [row] })).json.outputs as number[][])[0] as number[], forwardReference(weights, true, x, true), 'after');
  } finally {
    await server.close();
  }
});
