import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runVigil, testOutputDir } from '../helpers/cli.ts';
import { launchChromium, checkPage } from '../helpers/chromium.ts';
import { spawnFixtureServer } from '../helpers/fixture-process.ts';
import type { SoakResult } from '../../monitor/watch/soak/soak.ts';

test('vigil soak: load + watcher on a leaking fixture → verdict (MB/h, p, time to OOM), exit 99, a chart that renders', { timeout: 90_000 }, async (t) => {
  const server = await spawnFixtureServer(['--leak-bytes-per-request', '256KiB']);
  t.after(() => server.close());
  const dir = testOutputDir('watch-soak');
  const scenario = join(dir, 'soak.yaml');
  writeFileSync(scenario, `name: predict-soak
target: ${server.url}
requests:
  - name: predict
    method: POST
    path: /predict
    headers: { content-type: application/json }
    body: { "inputs": [[1, 2, 3, 4]] }
rate: 20
duration: 30s
`);
  const html = join(dir, 'soak.html');
  const out = join(dir, 'soak.json');
  const run = await runVigil(['soak', scenario, '--duration', '6s', '--watch-pid', String(server.pid), '--sample-interval', '100ms', '--memory-limit', '2GiB', '--min-span', '5s', '--html', html, '--out', out, '--progress', 'none']);
  assert.equal(run.code, 99, run.stderr);
  assert.match(run.stdout, new RegExp(`pid:${server.pid} rss: \\+\\d+\\.\\d MB/h, p = [0-9.e-]+, .* projected OOM in .* → LEAK SUSPECTED`));
  const result = JSON.parse(readFileSync(out, 'utf8')) as SoakResult;
  assert.equal(result.schema, 'vigil.soak.result/v1');
  assert.equal(result.leakSuspected, true);
  const v = result.targets[0];
  assert.ok(v && v.slopeMBPerHour !== null && v.slopeBytesPerSecond !== null);
  // MB/h is the same slope in other units.
  assert.ok(Math.abs(v.slopeMBPerHour - (v.slopeBytesPerSecond * 3600) / 1e6) < 1e-6);
  // The leak is 256 KiB × 20 req/s ≈ 5.2 MB/s; the slope must be of that order (not a unit slip).
  assert.ok(v.slopeBytesPerSecond > 2.6e6 && v.slopeBytesPerSecond < 7.9e6, String(v.slopeBytesPerSecond));
  assert.ok((v.pValue ?? 1) < 1e-6);
  // Time to OOM: from the last sample to the 2 GiB limit at the fitted slope.
  assert.ok(v.secondsToExhaustion !== null && v.endBytes !== null);
  assert.ok(Math.abs(v.secondsToExhaustion - (2 * 1024 ** 3 - v.endBytes) / v.slopeBytesPerSecond) < 0.05 * v.secondsToExhaustion);
  assert.equal(result.load.requests > 100, true);

  const browser = await launchChromium(t);
  if (!browser) return;
  try {
    const page = await checkPage(browser, pathToFileURL(html).href, join(dir, 'soak.png'));
    assert.deepEqual(page.consoleErrors, []);
    assert.equal(page.canvases.length, 1);
    assert.ok(page.canvases.every((c) => c.nonEmpty), JSON.stringify(page.canvases));
  } finally {
    await browser.close();
  }
});

test('vigil soak without a single memory sample is an error (VIGIL_WATCH_NO_SAMPLES), not a pass', async () => {
  const dir = testOutputDir('watch-soak-nosamples');
  const scenario = join(dir, 'soak.yaml');
  // Port 1 on loopback refuses connections: the load fails fast, and PID 2^22+1 does not exist.
  writeFileSync(scenario, 'target: http://127.0.0.1:1\nrequests:\n  - method: GET\n    path: /\nrate: 5\nduration: 1s\n');
  const run = await runVigil(['soak', scenario, '--watch-pid', String(2 ** 22 + 1), '--progress', 'none']);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /error\[VIGIL_WATCH_NO_SAMPLES\] .*does not exist/);
});
