import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finishScheduleConfig, History, judgeRun, medianBaseline, scheduleConfigSchema, type BaselineFigures, type RunRecord } from '../../load/schedule/index.ts';
import { validateConfig } from '../../common/config.ts';
import { testOutputDir } from '../helpers/cli.ts';

const fig = (p99: number, qps = 100, errorRate = 0): BaselineFigures => ({ p50: p99 / 2, p95: p99 * 0.9, p99, qps, errorRate });
const LIMITS = { maxP99Increase: 0.1, maxQpsDecrease: 0.05, maxErrorRateIncrease: 0.01 };

test('median baseline: each figure separately, odd and even counts (table)', () => {
  assert.equal(medianBaseline([]), null);
  assert.equal(medianBaseline([fig(10), fig(30), fig(20)])?.p99, 20);
  assert.equal(medianBaseline([fig(10), fig(40), fig(20), fig(30)])?.p99, 25);
  // figures are independent medians: qps median 100 although the p99-median run has qps 50
  const m = medianBaseline([fig(10, 100), fig(20, 50), fig(30, 200)]);
  assert.deepEqual([m?.p99, m?.qps], [20, 100]);
});

test('regression verdicts (table)', () => {
  const base = { kind: 'median' as const, runs: 3, figures: fig(100, 100, 0.001) };
  const cases: [string, BaselineFigures, boolean, string[]][] = [
    ['same', fig(100, 100, 0.001), false, []],
    ['p99 +10 % is allowed', fig(110, 100, 0.001), false, []],
    ['p99 +11 %', fig(111, 100, 0.001), true, ['p99']],
    ['qps −5 % is allowed', fig(100, 95, 0.001), false, []],
    ['qps −6 %', fig(100, 94, 0.001), true, ['qps']],
    ['errors +1 point is allowed', fig(100, 100, 0.011), false, []],
    ['errors +2 points', fig(100, 100, 0.021), true, ['error_rate']],
  ];
  for (const [name, cur, regressed, failing] of cases) {
    const v = judgeRun(cur, base, LIMITS, true, false);
    assert.equal(v.regressed, regressed, name);
    assert.deepEqual(v.checks.filter((c) => !c.ok).map((c) => c.metric), failing, name);
    assert.equal(v.passed, !regressed, name);
  }
  const none = judgeRun(fig(1000), { kind: 'none', runs: 0, figures: null }, LIMITS, true, false);
  assert.deepEqual([none.regressed, none.passed, none.checks.length], [false, true, 0]);
  assert.equal(judgeRun(fig(100), base, LIMITS, false, false).passed, false, 'failed thresholds never pass');
  assert.equal(judgeRun(fig(100), base, LIMITS, true, true).passed, false, 'an aborted run never passes');
  const p50 = judgeRun(fig(100), { ...base, figures: { ...fig(100), p50: 10 } }, { ...LIMITS, maxP50Increase: 0.2 }, true, false);
  assert.deepEqual(p50.checks.filter((c) => !c.ok).map((c) => c.metric), ['p50']);
});

test('schedule config: defaults, unknown keys, bad crons, duplicate names (codes)', () => {
  const ok = finishScheduleConfig(validateConfig({ scenarios: [{ name: 'a', file: 'a.yaml', cron: '*/5 * * * *' }] }, 's.yaml', scheduleConfigSchema), '/base');
  assert.equal(ok.history, '/base/vigil-history');
  assert.equal(ok.scenarios[0]?.file, '/base/a.yaml');
  assert.deepEqual(ok.baseline, { lastN: 5 });
  assert.equal(ok.regression.maxP99Increase, 0.1);
  assert.equal(ok.shutdown, 'abort');
  const parse = (raw: unknown) => finishScheduleConfig(validateConfig(raw, 's.yaml', scheduleConfigSchema), '/base');
  assert.throws(() => parse({ scenarios: [{ name: 'a', file: 'a.yaml', cron: '* * * * *', extra: 1 }] }), { code: 'VIGIL_CONFIG_INVALID' });
  assert.throws(() => parse({ scenarios: [] }), { code: 'VIGIL_CONFIG_INVALID' });
  assert.throws(() => parse({ regression: { maxP99Increase: 'lots' }, scenarios: [{ name: 'a', file: 'a', cron: '* * * * *' }] }), { code: 'VIGIL_CONFIG_INVALID' });
  assert.throws(() => parse({ scenarios: [{ name: 'a', file: 'a.yaml', cron: '61 * * * *' }] }), { code: 'VIGIL_SCHEDULE_BAD_CRON' });
  assert.throws(() => parse({ scenarios: [{ name: 'a', file: 'a', cron: '* * * * *' }, { name: 'a', file: 'b', cron: '* * * * *' }] }), { code: 'VIGIL_SCHEDULE_DUPLICATE_SCENARIO' });
  assert.throws(() => parse({ scenarios: [{ name: '../x', file: 'a', cron: '* * * * *' }] }), { code: 'VIGIL_CONFIG_INVALID' });
});

test('history: lastComplete skips aborted runs, temp files and foreign files', () => {
  const dir = testOutputDir('schedule-history');
  rmSync(dir, { recursive: true, force: true });
  const h = new History(dir);
  const rec = (i: number, aborted: boolean): RunRecord => ({
    schema: 'vigil.schedule.run/v1', scenario: 's', model: null, startedAt: `2026-01-01T00:00:0${i}.000Z`, endedAt: `2026-01-01T00:00:0${i}.500Z`,
    aborted, passed: !aborted, verdict: { baseline: { kind: 'none', runs: 0, figures: null }, checks: [], regressed: false, thresholdsOk: true, passed: !aborted },
    result: {} as RunRecord['result'],
  });
  for (let i = 1; i <= 5; i++) h.write(rec(i, i === 4));
  mkdirSync(h.scenarioDir('s'), { recursive: true });
  writeFileSync(join(h.scenarioDir('s'), '.2026-01-01T00-00-09.000Z.json.123.tmp'), '{"half":');
  writeFileSync(join(h.scenarioDir('s'), 'zz-notes.json'), '{"not":"a record"}');
  assert.deepEqual(h.lastComplete('s', 3).map((r) => r.startedAt), ['2026-01-01T00:00:02.000Z', '2026-01-01T00:00:03.000Z', '2026-01-01T00:00:05.000Z']);
  assert.equal(h.files('s').length, 6);
  assert.equal(readdirSync(h.scenarioDir('s')).filter((f) => f.endsWith('.tmp')).length, 1, 'only the planted temp file');
  assert.deepEqual(h.lastComplete('nothing', 3), []);
});
