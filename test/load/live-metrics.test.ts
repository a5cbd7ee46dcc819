import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { startInProcess } from '../helpers/in-process.ts';

test('--metrics-port serves the run\'s live vigil_loadtest_* metrics while it runs, and closes after', { timeout: 60_000 }, async (t) => {
  const server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: 20 } });
  t.after(() => server.close());
  const { done, output } = startInProcess(['load', 'run', `${server.url}/predict`, '-m', 'POST', '-b', '{"inputs":[[1]]}', '-R', '40', '-d', '4s', '--progress', 'none', '--metrics-port', '0']);
  let url: string | undefined;
  for (let i = 0; i < 100 && !url; i++) { url = /live metrics on (\S+)/.exec(output().stderr)?.[1]; if (!url) await sleep(50); }
  assert.ok(url, output().stderr);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  // Two finished seconds of traffic, then scrape.
  await sleep(2500);
  const text = await (await fetch(url)).text();
  const value = (name: string): number => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
  assert.equal(value('vigil_loadtest_running'), 1, text);
  assert.ok(Math.abs(value('vigil_loadtest_qps') - 40) <= 3, text);
  const p50 = Number(/^vigil_loadtest_latency_seconds\{[^}]*quantile="0\.5"[^}]*\} (\S+)$/m.exec(text)?.[1]);
  assert.ok(p50 >= 0.02 && p50 < 1, `p50 ${p50} s: at least the 20 ms service time`);
  assert.equal(value('vigil_loadtest_error_ratio'), 0);
  assert.match(text, /scenario="[^"]+"/);
  assert.equal(await done, 0, output().stderr + output().stdout);
  await assert.rejects(fetch(url), 'the port is closed when the run ends');
});
