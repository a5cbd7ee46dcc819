import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runVigil, testOutputDir } from '../helpers/cli.ts';

test('vigil demo (short): fixture ONNX server + monitor in proxy mode; no drift first, input drift after the switch; ends by itself', async () => {
  const run = await runVigil(['demo', '--duration', '8s', '--rate', '40', '--rows', '4', '--out-dir', testOutputDir('monitor-demo')], { timeoutMs: 90_000 });
  assert.equal(run.code, 0, run.stderr);
  const verdicts = [...run.stdout.matchAll(/verdict: (.*?) {2}\(/g)].map((m) => m[1] as string);
  assert.ok(verdicts.length >= 2, run.stdout);
  assert.match(verdicts[0] as string, /^no drift/);
  assert.ok(verdicts.some((v) => /^drift \(family p=[\d.e-]+ <= 0\.05, decided by inputs (ks f(3|7|12)|mmd)\)/.test(v)), run.stdout);
  assert.match(run.stdout, /live page: http:\/\/127\.0\.0\.1:\d+\/#token=viewer-/);
  assert.match(run.stdout, /metrics: {3}http:\/\/127\.0\.0\.1:\d+\/metrics/);
  assert.match(run.stdout, /drift detected [\d.]+ s after start \(traffic changed at 4 s\)/);
  assert.match(run.stdout, /status codes: 200: \d+/);
});
