import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLlmServer } from '../../fixtures/servers/index.ts';
import { formatSummaryTable, resolveLoadOptions, runLoad } from '../../load/index.ts';
import { renderLoadReport } from '../../load/report/index.ts';
import { checkPage, launchChromium } from '../helpers/chromium.ts';
import { testOutputDir } from '../helpers/cli.ts';

test('the HTML report of an LLM run draws TTFT, tokens/s and the TTFT/ITL spectrum in Chromium; the table has a stream block', async (t) => {
  const server = await startLlmServer({ ttft: { kind: 'lognormal', medianMs: 40, sigma: 0.5 }, itl: { kind: 'lognormal', medianMs: 8, sigma: 0.3 }, outputTokens: { kind: 'uniform', min: 8, max: 40 }, streamErrors: { rate: 0.03, kind: 'event' }, seed: 12 });
  t.after(() => server.close());
  const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Tell me about coordinated omission.' }], max_tokens: 64, stream: true, stream_options: { include_usage: true } });
  const result = await runLoad(resolveLoadOptions({ target: server.url, path: '/v1/chat/completions', body, rate: '25', duration: '4s', arrival: 'poisson', seed: '5', slo: ['ttft<80ms', 'tpot<12ms'], threshold: ['ttft_p99<2s', 'goodput>1'], progress: 'none' }));
  const table = formatSummaryTable(result);
  assert.match(table, /^stream \(ms\)\s+min\s+mean\s+p50\s+p90\s+p95\s+p99\s+p99\.9\s+max$/m);
  for (const row of ['TTFT', 'ITL', 'TPOT', 'TTFB']) assert.match(table, new RegExp(`^${row}(\\s+\\d+(\\.\\d+)?){8}$`, 'm'), row);
  assert.match(table, /^LLM answers\s+streamed\s+output tokens\s+input tokens\s+output tokens\/s$/m);
  assert.match(table, /\d+ \(from usage\)/);
  assert.match(table, /^goodput: [\d.]+ req\/s — \d+ of \d+ arrivals \([\d.]+ %\) met ttft<80ms, tpot<12ms$/m);
  assert.match(table, /PASS {2}ttft_p99<2s/);

  const html = renderLoadReport(result);
  assert.match(html, /LLM answers: time to first token/);
  assert.match(html, /TTFT P99/);
  const browser = await launchChromium(t);
  if (!browser) return;
  t.after(() => browser.close());
  const dir = testOutputDir('stream-report');
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const check = await checkPage(browser, pathToFileURL(file).href, join(dir, 'report.png'));
  assert.deepEqual(check.consoleErrors, []);
  assert.deepEqual(check.canvases.map((c) => c.id).sort(), ['chart-latency', 'chart-outcomes', 'chart-qps', 'chart-spectrum', 'chart-stream-spectrum', 'chart-tokens', 'chart-ttft']);
  for (const c of check.canvases) assert.ok(c.nonEmpty, `${c.id} is empty`);
});
