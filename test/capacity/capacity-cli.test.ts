import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFixtureServer, type FixtureServer } from '../../fixtures/servers/index.ts';
import { resolveCapacityOptions, type CapacityResult } from '../../load/capacity/index.ts';
import { runVigil, testOutputDir } from '../helpers/cli.ts';
import { launchChromium, checkPage } from '../helpers/chromium.ts';

const K = 4;
const S = 20; // ms → capacity K/S = 200 req/s
const dir = testOutputDir('capacity');
let server: FixtureServer;

before(async () => { server = await startFixtureServer({ serviceTime: { kind: 'fixed', ms: S }, concurrencyLimit: K }); });
after(async () => { await server.close(); });

const REQUEST = ['--method', 'POST', '--path', '/predict', '--body', '{"inputs":[[1,2]]}'];

test('vigil capacity finds the max sustainable QPS of a K/S server within ±10 %', async () => {
  server.resetRecords();
  const run = await runVigil(['capacity', '--target', server.url, ...REQUEST, '--slo', 'p99<1s', '--start-rate', '60', '--growth', '1.6',
    '--step-duration', '1s', '--settle', '250ms', '--refinements', '3', '--peak-qps', '1000', '--headroom', '20%',
    '--out', join(dir, 'capacity.json'), '--md', join(dir, 'capacity.md'), '--html', join(dir, 'capacity.html')]);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(readFileSync(join(dir, 'capacity.json'), 'utf8')) as CapacityResult;
  assert.equal(result.schema, 'vigil.capacity.result/v1');
  // The truth, from the server's own records: it holds a slot for the service time it actually gave
  // (measured with performance.now, never below S). So the capacity is at most K/S, and at least
  // K / mean(given S) over the run (the saturated steps, where the machine is busiest, raise that mean).
  // On a quiet machine both are K/S; the search must land within ±10 % of that bracket.
  const given = server.serviceTimesMs();
  const meanGiven = given.reduce((a, b) => a + b, 0) / given.length;
  const nominal = K / (S / 1000);
  const lower = K / (meanGiven / 1000);
  console.log(`# capacity: found ${result.maxSustainableQps} req/s; K/S = ${nominal}; K/mean(given S = ${meanGiven.toFixed(2)} ms) = ${lower.toFixed(1)}`);
  assert.ok(result.maxSustainableQps !== null);
  assert.ok(result.maxSustainableQps >= 0.9 * lower && result.maxSustainableQps <= 1.1 * nominal, `found ${result.maxSustainableQps} outside [0.9 × ${lower.toFixed(1)}, 1.1 × ${nominal}]`);
  assert.equal(result.stopReason, 'saturation');
  assert.ok(result.steps.some((s) => s.phase === 'refine'));
  assert.equal(result.replicas?.count, Math.ceil((1000 * 1.2) / result.maxSustainableQps - 1e-9));
  // every step's verdict agrees with its numbers
  for (const s of result.steps) {
    if (s.superseded) continue;
    const measuredS = s.requests / s.achievedQps; // arrivals expected in that time: offered × measuredS
    const saturated = s.requests + 1 < 0.95 * s.offeredRate * measuredS || s.droppedIterations > 0;
    assert.equal(s.failures.includes('saturation'), saturated);
    assert.equal(s.ok, s.failures.length === 0);
  }
  const md = readFileSync(join(dir, 'capacity.md'), 'utf8');
  assert.match(md, /\| # \| phase \| offered \(req\/s\) \| achieved \(req\/s\) \| mean \(ms\) \| P50 \(ms\) \| P95 \(ms\) \| P99 \(ms\) \| errors \| verdict \|/);
  assert.equal(md.split('\n').filter((l) => /^\| \d+ \|/.test(l)).length, result.steps.length);
  assert.match(md, /linearly/);
  assert.equal(run.stdout, md);
});

test('the capacity HTML report renders both charts in Chromium', async (t) => {
  const file = join(dir, 'capacity.html');
  if (!existsSync(file)) return t.skip('needs the capacity run above');
  const browser = await launchChromium(t);
  if (!browser) return;
  try {
    const page = await checkPage(browser, pathToFileURL(file).href, join(dir, 'capacity.png'));
    assert.deepEqual(page.consoleErrors, []);
    assert.deepEqual(page.canvases.map((c) => c.id).sort(), ['latency-vs-throughput', 'throughput-vs-offered']);
    assert.ok(page.canvases.every((c) => c.nonEmpty), JSON.stringify(page.canvases));
    assert.doesNotMatch(readFileSync(file, 'utf8'), /<script src=|<link /); // self-contained
  } finally {
    await browser.close();
  }
});

test('an SLO tighter than the service time: no load meets it (exit 99)', async () => {
  const run = await runVigil(['capacity', '--target', server.url, ...REQUEST, '--slo', `p99<${S / 2}ms`, '--start-rate', '40',
    '--step-duration', '1s', '--settle', '100ms', '--confirm', '0', '--json']);
  assert.equal(run.code, 99, run.stderr);
  const result = JSON.parse(run.stdout) as CapacityResult;
  assert.equal(result.noLoadMeetsSlo, true);
  assert.equal(result.maxSustainableQps, null);
  assert.equal(result.stopReason, 'slo');
  assert.deepEqual(result.steps.map((s) => s.offeredRate), [40, 20, 10, 5]);
  // every step's P99 is at least the service time, above the SLO: the verdict is the numbers'
  for (const s of result.steps) assert.ok(s.latencyMs.p99 >= S && s.failures.includes('slo'), JSON.stringify(s.failures));
});

test('bad capacity options are refused with their codes (table)', async () => {
  const base = { target: 'http://127.0.0.1:1', path: '/predict' };
  const cases: [Record<string, string | string[]>, string][] = [
    [{ growth: '1' }, 'VIGIL_CAPACITY_BAD_OPTION'],
    [{ startRate: '0' }, 'VIGIL_CAPACITY_BAD_OPTION'],
    [{ startRate: '500', maxRate: '100' }, 'VIGIL_CAPACITY_BAD_RANGE'],
    [{ slo: ['qps>100'] }, 'VIGIL_CAPACITY_BAD_SLO'],
    [{ slo: ['p99<<3'] }, 'VIGIL_LOAD_BAD_THRESHOLD'],
    [{ maxErrorRate: '150%' }, 'VIGIL_CAPACITY_BAD_OPTION'],
    [{ headroom: '10%' }, 'VIGIL_CAPACITY_BAD_OPTION'],
    [{ stepDuration: 'soon' }, 'VIGIL_BAD_DURATION'],
  ];
  for (const [flags, code] of cases) assert.throws(() => resolveCapacityOptions({ ...base, ...flags }), { code }, JSON.stringify(flags));
  const cli = await runVigil(['capacity', '--target', server.url, '--growth', '0.5']);
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /error\[VIGIL_CAPACITY_BAD_OPTION\]/);
});
