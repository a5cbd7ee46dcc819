import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { checkPage, launchChromium } from '../helpers/chromium.ts';
import { REPO_ROOT, testOutputDir } from '../helpers/cli.ts';
import { TOKENS, call, gaussianRows, startTestMonitor, datasetRows, writeReference } from './helpers.ts';
import { BreakableClient } from './breakable-client.ts';

const MODEL = join(REPO_ROOT, 'fixtures/models/classifier.onnx');
const DATA = join(REPO_ROOT, 'fixtures/datasets');

test('GET / in headless Chromium: live charts of p-values, KS bars, parity and traffic, no console errors', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const upstream = await startFixtureServer({ model: { path: MODEL, preprocessingBug: true } });
  const svc = await startTestMonitor({ reference: join(DATA, 'reference.jsonl'), model: MODEL, upstream: upstream.url, window: 200, evaluateEvery: 1_000_000, evaluateInterval: '1h', minSamples: 50, drift: { permutations: 50 }, bodyLimit: '4MiB' });
  t.after(async () => { await browser.close(); await svc.close(); await upstream.close(); });
  // Clean traffic, then mean-shifted traffic, through the proxy; an evaluation after each part.
  for (const file of ['current-clean.jsonl', 'current-clean.jsonl', 'drift-mean-shift.jsonl', 'drift-mean-shift.jsonl']) {
    const rows = datasetRows(join(DATA, file)).slice(0, 200);
    let observed = 0;
    const all = new Promise<void>((resolve) => {
      const on = (n: number): void => { observed += n; if (observed >= rows.length) { svc.engine.off('observed', on); resolve(); } };
      svc.engine.on('observed', on);
    });
    for (let i = 0; i < rows.length; i += 25) {
      const res = await fetch(`${svc.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: rows.slice(i, i + 25) }) });
      await res.arrayBuffer();
    }
    await all;
    assert.ok(await svc.engine.evaluate());
  }
  const screenshot = join(testOutputDir('monitor'), 'live-page.png');
  let verdict = '';
  const check = await checkPage(browser, `${svc.url}/#token=${TOKENS.viewer}`, screenshot, {
    waitFor: async (page) => {
      await page.waitForFunction(() => Number(document.body.dataset.evaluations ?? 0) >= 4, undefined, { timeout: 15_000 });
      verdict = (await page.textContent('#verdict')) ?? '';
    },
  });
  // The last evaluation (a drifted window) shows the family decision, not per-stream ORs.
  assert.match(verdict, /^DRIFT \(family p-value [\d.e-]+ over \d+ tests, alpha 0\.05; smallest: inputs (ks f\d+|mmd)\)/);
  assert.deepEqual(check.consoleErrors, []);
  assert.deepEqual(check.canvases.map((c) => c.id), ['pvalues', 'ks', 'parity', 'traffic']);
  for (const c of check.canvases) assert.ok(c.nonEmpty && c.width > 0, `canvas ${c.id} drew nothing`);
});

test('GET / without a token shows how to give one (no data, no console errors)', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const svc = await startTestMonitor({ reference: join(DATA, 'reference.jsonl') });
  t.after(async () => { await browser.close(); await svc.close(); });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${svc.url}/`);
  await page.waitForFunction(() => getComputedStyle(document.getElementById('auth') as HTMLElement).display === 'block', undefined, { timeout: 10_000 });
  assert.deepEqual(errors, []);
});

test('GET / in headless Chromium: a banner says when evaluations fail (degraded) and the verdict is stale; it goes once one succeeds', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const evaluator = new BreakableClient();
  const svc = await startTestMonitor({ reference: writeReference(gaussianRows(40, 4, 1)), window: { duration: '10m', maxSamples: 30 }, evaluateEvery: 100_000, evaluateInterval: '1h', minSamples: 10, staleAfter: '1s' }, { evaluator });
  t.after(async () => { await browser.close(); await svc.close(); });
  await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(20, 4, 2) } });
  assert.ok(await svc.engine.evaluate());
  evaluator.failing = true;
  assert.equal(await svc.engine.evaluate(), undefined);
  assert.equal(await svc.engine.evaluate(), undefined);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${svc.url}/#token=${TOKENS.viewer}`);
  // Failing since the last success (> 1 s ago, the staleAfter): degraded and stale.
  await page.waitForFunction(() => document.body.dataset.health === 'degraded,stale', undefined, { timeout: 15_000 }).catch(async (err: Error) => {
    throw new Error(`${err.message}; health ${await page.evaluate(() => document.body.dataset.health)}; errors ${errors.join(' | ')}`);
  });
  const banner = (await page.textContent('#health')) ?? '';
  assert.match(banner, /^DEGRADED: drift evaluations are failing \(2 in a row\): .*column.* — \/readyz answers 503 · STALE: last successful evaluation \d+ s ago, stale after 1 s — the drift and parity verdicts are withdrawn$/);
  assert.ok(await page.isVisible('#health'));
  assert.match((await page.textContent('#meta')) ?? '', /^window 20 samples of the last 10 min \(at most 30\) · /);
  assert.match((await page.textContent('#verdict')) ?? '', /^STALE \(withdrawn\) — no drift/);
  evaluator.failing = false;
  assert.ok(await svc.engine.evaluate());
  // (the fresh verdict may already be stale again by the next poll, 1 s staleAfter: only "degraded" must go)
  await page.waitForFunction(() => document.body.dataset.health?.startsWith('ok'), undefined, { timeout: 15_000 });
  const after = (await page.textContent('#health')) ?? '';
  assert.doesNotMatch(after, /DEGRADED/);
  if ((await page.evaluate(() => document.body.dataset.health)) === 'ok') assert.equal(await page.isVisible('#health'), false);
  assert.deepEqual(errors, []);
});
