import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { runInProcess as vigil } from '../helpers/in-process.ts';
import { REPO_ROOT, testOutputDir } from '../helpers/cli.ts';

const dir = testOutputDir('load-report-cli');

test('vigil load report RESULT --html renders any result: a run, a merge, a k6 import; merge and import-k6 take --html too', async (t) => {
  const server = await startFixtureServer();
  t.after(() => server.close());
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  for (const out of [a, b]) {
    const run = await vigil(['load', 'run', '--target', server.url, '--connections', '2', '--requests', '40', '--progress', 'none', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
  }
  const merged = join(dir, 'merged.json');
  const k6 = join(dir, 'k6.json');
  const steps: [string[], string][] = [
    [['load', 'merge', a, b, '--out', merged, '--html', join(dir, 'merge-flag.html')], join(dir, 'merge-flag.html')],
    [['load', 'import-k6', join(REPO_ROOT, 'fixtures/traffic/k6/handle-summary.json'), '--out', k6, '--html', join(dir, 'k6-flag.html')], join(dir, 'k6-flag.html')],
    [['load', 'report', a, '--html', join(dir, 'run.html')], join(dir, 'run.html')],
    [['load', 'report', merged, '--html', join(dir, 'merged.html')], join(dir, 'merged.html')],
    [['load', 'report', k6, '--html', join(dir, 'k6.html')], join(dir, 'k6.html')],
  ];
  for (const [args, html] of steps) {
    rmSync(html, { force: true });
    const run = await vigil(args);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /^<!doctype html>/i, html);
    assert.match(page, /<h2>Latency distribution<\/h2>/, html);
  }
  assert.match(readFileSync(join(dir, 'merged.html'), 'utf8'), /\b80\b/); // 40 + 40 requests
  const report = await vigil(['load', 'report', merged, '--html', join(dir, 'merged.html')]);
  assert.match(report.stdout, /^80\s/m, 'the summary table of the merged result');
  const bad = await vigil(['load', 'report', merged, '--html', '/proc/nope/r.html']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /error\[VIGIL_OUTPUT_NOT_WRITABLE\]/);
  const missing = await vigil(['load', 'report', join(dir, 'none.json'), '--html', join(dir, 'x.html')]);
  assert.match(missing.stderr, /error\[VIGIL_RESULT_UNREADABLE\]/);
});
