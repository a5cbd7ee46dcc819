import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, collectRun, runVigil, spawnVigil } from '../helpers/cli.ts';
import { TOKEN_ENV, TOKENS, call } from './helpers.ts';

const MODEL = join(REPO_ROOT, 'fixtures/models/classifier.onnx');
const REFERENCE = join(REPO_ROOT, 'fixtures/datasets/reference.jsonl');

test('vigil monitor serve refuses a model whose SHA-256 differs from --model-sha256', async () => {
  const run = await runVigil(['monitor', 'serve', '--model', MODEL, '--model-sha256', 'a'.repeat(64), '--reference', REFERENCE, '--port', '0', '--log-level', 'silent'], { env: TOKEN_ENV, timeoutMs: 60_000 });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error\[VIGIL_MONITOR_MODEL_SHA256_MISMATCH\]/);
});

test('vigil monitor serve refuses to start without tokens unless --insecure-no-auth; bad options name the key', async () => {
  const env = { VIGIL_VIEWER_TOKEN: '', VIGIL_INGEST_TOKEN: '', VIGIL_ADMIN_TOKEN: '' };
  const noTokens = await runVigil(['monitor', 'serve', '--reference', REFERENCE, '--port', '0'], { env, timeoutMs: 60_000 });
  assert.equal(noTokens.code, 1);
  assert.match(noTokens.stderr, /error\[VIGIL_MONITOR_NO_TOKENS\]/);
  const badWindow = await runVigil(['monitor', 'serve', '--reference', REFERENCE, '--window', 'lots'], { env: TOKEN_ENV, timeoutMs: 60_000 });
  assert.equal(badWindow.code, 1);
  assert.match(badWindow.stderr, /error\[VIGIL_CONFIG_INVALID\] flags: window/);
});

test('vigil monitor serve starts on port 0 with the real model, serves, logs JSON without tokens, stops on SIGTERM', async () => {
  const child = spawnVigil(['monitor', 'serve', '--model', MODEL, '--reference', REFERENCE, '--port', '0', '--window', '50', '--evaluate-every', '20'], { env: TOKEN_ENV });
  const done = collectRun(child, 60_000);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); const m = /listening (http:\/\/\S+)/.exec(out); if (m) resolve(m[1] as string); });
    child.once('exit', () => reject(new Error('exited before listening')));
  });
  const rows = Array.from({ length: 30 }, (_, i) => Array.from({ length: 16 }, (_, j) => ((i * 7 + j * 3) % 11) / 5));
  const res = await call(`${url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: rows } });
  assert.equal(res.status, 200);
  assert.equal((await call(`${url}/v1/status`)).status, 401);
  child.kill('SIGTERM');
  const run = await done;
  assert.equal(run.code, 0);
  const lines = run.stderr.trim().split('\n').filter(Boolean);
  assert.ok(lines.length > 2);
  for (const line of lines) JSON.parse(line);
  for (const token of Object.values(TOKENS)) assert.ok(!run.stderr.includes(token) && !run.stdout.includes(token), 'tokens are never logged');
  assert.match(run.stderr, /"msg":"reference model loaded"/);
});
