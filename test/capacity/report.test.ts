import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleCapacityResult, renderCapacityHtml, renderCapacityMarkdown, searchCapacity, sloLines, type SearchOptions } from '../../load/capacity/index.ts';
import { fakeTarget } from './fake-target.ts';

const SEARCH: SearchOptions = {
  mode: 'rate', startRate: 25, maxRate: 10_000, growth: 1.5, refinements: 3, resolution: 0.02, probeDown: 3,
  maxErrorRate: 0.05, saturationRatio: 0.95, minGrowth: 0.05, confirmFailures: 0,
};

test('the Markdown report has one row per step, marks the max and the step where errors start', async () => {
  const outcome = await searchCapacity(fakeTarget({ capacity: 1000, serviceMs: 5, sloP99Ms: 1000, errorAbove: 100 }), SEARCH);
  const r = assembleCapacityResult(outcome, { target: 'http://t', startedAt: 'a', endedAt: 'b', slo: ['p99<1s'], search: SEARCH, stepDurationS: 1, settleS: 0, peak: { peakQps: 500, headroom: 0.3 } });
  const md = renderCapacityMarkdown(r);
  const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
  assert.equal(rows.length, r.steps.length);
  assert.equal(rows.filter((l) => l.includes('← max')).length, 1);
  const errorRow = rows.find((l) => l.includes('← errors start')) ?? '';
  const firstErr = [...r.steps].filter((s) => s.errorRate > 0).sort((a, b) => a.offeredRate - b.offeredRate)[0];
  assert.ok(errorRow.includes(`| ${firstErr?.offeredRate} |`), errorRow);
  assert.match(md, /Stopped because the error rate went over the limit/);
  assert.match(md, new RegExp(`\\*\\*${r.replicas?.count}\\*\\*`));
});

test('SLO lines for the chart: latency expressions in ms, others skipped (table)', () => {
  assert.deepEqual(sloLines(['p99<300ms', 'p95<=1.5s', 'error_rate<1%', 'mean<20ms']), [
    { label: 'SLO p99<300ms', ms: 300 }, { label: 'SLO p95<=1.5s', ms: 1500 }, { label: 'SLO mean<20ms', ms: 20 },
  ]);
});

test('the HTML report is self-contained and escapes the target', async () => {
  const outcome = await searchCapacity(fakeTarget({ capacity: 200, serviceMs: 20, sloP99Ms: 100 }), SEARCH);
  const html = renderCapacityHtml(assembleCapacityResult(outcome, { target: 'http://t/<script>', startedAt: 'a', endedAt: 'b', slo: ['p99<100ms'], search: SEARCH, stepDurationS: 1, settleS: 0 }));
  assert.ok(!html.includes('http://t/<script>'));
  assert.ok(html.includes('http://t/&lt;script&gt;'));
  assert.doesNotMatch(html, /<script src=/);
  assert.match(html, /id="latency-vs-throughput"/);
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  assert.equal(tbody.split('<tr').length - 1, outcome.steps.length, 'one table row per step');
  // the charts get the decisive step per load only (a superseded failure is replaced by its re-run)
  const data = JSON.parse(/window\.__DATA__ = (.*?);<\/script>/.exec(html)?.[1] ?? '{}') as { steps: unknown[] };
  assert.equal(data.steps.length, outcome.steps.filter((s) => !s.superseded).length);
});

test('an aborted search is reported as aborted, not as "no load meets the SLO"', async () => {
  const target = fakeTarget({ capacity: 200, serviceMs: 20, sloP99Ms: 100 });
  const outcome = await searchCapacity(async (rate) => ({ ...(await target(rate)), aborted: true }), SEARCH);
  const r = assembleCapacityResult(outcome, { target: 'http://t', startedAt: 'a', endedAt: 'b', slo: ['p99<100ms'], search: SEARCH, stepDurationS: 1, settleS: 0 });
  assert.deepEqual([r.aborted, r.stopReason, r.noLoadMeetsSlo, r.maxSustainableQps], [true, 'aborted', false, null]);
  const md = renderCapacityMarkdown(r);
  assert.match(md, /Aborted before a complete step/);
  assert.match(md, /aborted \(partial step, not counted\)/);
  assert.doesNotMatch(md, /No load meets/);
});
