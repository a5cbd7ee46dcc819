import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRuleFile, sloConfigSchema, testProfile, type AlertingRule, type RecordingRule, type SloConfig } from '../../alerts/index.ts';

function config(input: unknown): SloConfig {
  return sloConfigSchema.parse(input);
}

function rules(c: SloConfig): { alerts: AlertingRule[]; records: RecordingRule[] } {
  const all = buildRuleFile(c).groups.flatMap((g) => g.rules);
  return { alerts: all.filter((r): r is AlertingRule => 'alert' in r), records: all.filter((r): r is RecordingRule => 'record' in r) };
}

test('custom burn rates get exactly the recording rules their windows need, and exact thresholds', () => {
  const c = config({ availability: { objective: '99.95%', burnRates: [
    { long: '2h', short: '10m', factor: 10, severity: 'critical', for: '5m' },
    { long: '1d', short: '2h', factor: 2.5, severity: 'warning', for: '30m' },
  ] } });
  const { alerts, records } = rules(c);
  assert.deepEqual(records.filter((r) => r.record.startsWith('vigil:upstream_error_ratio')).map((r) => r.record),
    ['vigil:upstream_error_ratio:rate10m', 'vigil:upstream_error_ratio:rate2h', 'vigil:upstream_error_ratio:rate1d']);
  const burn = alerts.filter((a) => a.alert === 'VigilErrorBudgetBurn');
  // 10 × 0.05 % = 0.5 % = 0.005; 2.5 × 0.05 % = 0.00125
  assert.deepEqual(burn.map((a) => a.expr), [
    'vigil:upstream_error_ratio:rate2h > 0.005 and vigil:upstream_error_ratio:rate10m > 0.005',
    'vigil:upstream_error_ratio:rate1d > 0.00125 and vigil:upstream_error_ratio:rate2h > 0.00125',
  ]);
  assert.deepEqual(burn.map((a) => a.for), ['5m', '30m']);
});

test('thresholds of the config reach the expressions in base units', () => {
  const c = config({ latency: { p99: '250ms', window: '2m' }, memory: { limit: '2GiB', horizon: '4h', maxGrowth: '1MB' }, gpu: { utilization: '85%', memory: 0.9 }, parity: { minAgreement: '97.5%' }, drift: { window: '15m' }, targetDown: { jobRegex: 'ml-.*' }, availability: { errorCodes: '5..' } });
  const byName = (name: string, i = 0) => rules(c).alerts.filter((a) => a.alert === name)[i] as AlertingRule;
  assert.equal(byName('VigilHighLatencyP99').expr, 'vigil:upstream_request_duration_seconds:p99_rate2m > 0.25');
  assert.equal(byName('VigilMemoryLeak', 1).expr, 'predict_linear(vigil_memory_bytes{kind="rss"}[30m], 14400) > 2147483648');
  assert.equal(byName('VigilMemoryLeak', 2).expr, 'deriv(vigil_memory_bytes{kind="rss"}[5m]) > 1000000');
  assert.equal(byName('VigilGPUUtilizationHigh').expr, 'vigil_gpu_utilization_ratio > 0.85');
  assert.equal(byName('VigilGPUMemoryNearFull').expr, 'vigil_gpu_memory_used_bytes / vigil_gpu_memory_total_bytes > 0.9');
  const unlessStale = ' unless on (job, instance, model) (vigil_drift_stale == 1)';
  assert.equal(byName('VigilParityDegraded').expr, `(vigil_parity_agreement_ratio < 0.975)${unlessStale}`);
  assert.equal(byName('VigilDriftDetected').expr, `(max_over_time(vigil_drift_alarm[15m]) >= 1)${unlessStale}`);
  assert.equal(byName('VigilTargetDown').expr, 'up{job=~"ml-.*"} == 0');
  assert.match(rules(c).records.find((r) => r.record === 'vigil:upstream_error_ratio:rate5m')?.expr ?? '', /code=~"5\.\."/);
});

test('extra labels land on every alert; runbook URLs join the base without a double slash', () => {
  const c = config({ labels: { team: 'ml-platform' }, runbookBaseUrl: 'https://runbooks.example.com/vigil/' });
  for (const a of rules(c).alerts) {
    assert.equal(a.labels.team, 'ml-platform', a.alert);
    assert.equal(a.annotations.runbook_url, `https://runbooks.example.com/vigil/${a.alert}.md`);
  }
});

test('the test profile changes only intervals, `for` and the drift window', () => {
  const prod = config({});
  const fast = testProfile(prod);
  assert.equal(fast.evaluationInterval, 1000);
  assert.equal(fast.drift.window, 10_000);
  assert.equal(fast.latency.p99, prod.latency.p99);
  assert.equal(fast.availability.objective, prod.availability.objective);
  assert.deepEqual(fast.availability.burnRates.map((b) => [b.long, b.short, b.factor, b.for]), prod.availability.burnRates.map((b) => [b.long, b.short, b.factor, 5000]));
  assert.ok(Object.isFrozen(fast.gpu));
  assert.equal(prod.drift.window, 120_000, 'the production config is untouched');
});
