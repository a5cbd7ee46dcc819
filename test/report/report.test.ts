import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderLoadReport, percentileSpectrum } from '../../load/report/index.ts';
import { importK6Summary } from '../../load/k6/index.ts';
import { buildResult, syntheticSamples, newHist } from './build-result.ts';
import { launchChromium, checkPage } from '../helpers/chromium.ts';
import { REPO_ROOT, testOutputDir } from '../helpers/cli.ts';

const T0 = new Date('2026-01-05T10:00:00.000Z');

function sampleResult() {
  const samples = syntheticSamples(12_000, 30, 11);
  return buildResult(samples, {
    startedAt: T0, durationS: 30, rate: 400, target: 'http://127.0.0.1:8080', warmupS: 5, dropped: 3,
    thresholds: [{ expr: 'p99<250ms', ok: true, value: 61.2 }, { expr: 'p95<20ms', ok: false, value: 26.8 }, { expr: 'error_rate<1%', ok: true, value: 0.8 }],
  });
}

test('percentile spectrum: x = 1/(1−p), latencies from the histogram, ends at the max', () => {
  const h = newHist();
  for (let v = 1; v <= 10_000; v++) h.recordValue(v * 10);   // uniform 10 µs … 100 ms
  const points = percentileSpectrum(h);
  assert.equal(points[0]?.x, 1);
  for (const p of points) assert.ok(Math.abs(p.x - 1 / (1 - p.percentile / 100)) < 1e-6 * p.x);
  const near = (pct: number) => points.reduce((best, p) => (Math.abs(p.percentile - pct) < Math.abs(best.percentile - pct) ? p : best));
  // Uniform: the latency at percentile p is p % of 100 ms (independent closed form), within HDR precision.
  for (const pct of [50, 90, 99]) {
    const p = near(pct);
    assert.ok(Math.abs(p.latencyMs - p.percentile) <= 0.1 + p.percentile * 0.001, `${p.percentile}: ${p.latencyMs}`);
  }
  assert.equal(points.at(-1)?.latencyMs, h.maxValue / 1000);
  assert.ok((points.at(-1)?.x ?? 0) >= 10_000);
  assert.deepEqual(percentileSpectrum(newHist()), []);
});

test('the HTML report renders every chart in headless Chromium, offline, without console errors', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const dir = testOutputDir('report');
  const html = renderLoadReport(sampleResult());
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/, 'no external scripts or styles');
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const check = await checkPage(browser, pathToFileURL(file).href, join(dir, 'report.png'));
  assert.deepEqual(check.consoleErrors, []);
  assert.deepEqual(check.canvases.map((c) => c.id).sort(), ['chart-latency', 'chart-outcomes', 'chart-qps', 'chart-spectrum']);
  for (const c of check.canvases) assert.ok(c.nonEmpty && c.width > 0, `${c.id} is empty`);
  // The tables carry the numbers, readable without JavaScript.
  assert.match(html, /POST \/predict/);
  assert.match(html, /FAILED · 1 of 3 thresholds/);
  assert.match(html, /p95&lt;20ms/);
});

test('a k6 import (no histogram, no intervals) still renders: spectrum from the summary', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const dir = testOutputDir('report');
  const summary = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/traffic/k6/handle-summary.json'), 'utf8')) as unknown;
  const file = join(dir, 'report-k6.html');
  writeFileSync(file, renderLoadReport(importK6Summary(summary, { file: 'handle-summary.json', endedAt: T0 })));
  const check = await checkPage(browser, pathToFileURL(file).href, join(dir, 'report-k6.png'));
  assert.deepEqual(check.consoleErrors, []);
  assert.deepEqual(check.canvases.map((c) => c.id).sort(), ['chart-outcomes', 'chart-spectrum']);
  for (const c of check.canvases) assert.ok(c.nonEmpty, `${c.id} is empty`);
});
