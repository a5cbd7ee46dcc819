import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { runInProcess } from '../helpers/in-process.ts';

test('vigil capacity never prints the credentials of --target (stderr, the table, the JSON)', { timeout: 60_000 }, async (t) => {
  const server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 5 } });
  t.after(() => server.close());
  const target = server.url.replace('http://', 'http://alice:capacity-secret-7@');
  const { code, stdout, stderr } = await runInProcess(['capacity', '--target', target, '--path', '/predict', '--slo', 'p99<1s', '--start-rate', '5', '--max-rate', '10',
    '--step-duration', '1s', '--refinements', '0', '--confirm', '0', '--json']);
  const out = stderr + stdout;
  assert.ok(code === 0 || code === 99, out);
  assert.match(out, /\[REDACTED\]@127\.0\.0\.1/);
  assert.ok(!out.includes('capacity-secret-7') && !out.includes('alice:'), out);
});
