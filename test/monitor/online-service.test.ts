import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { MonitorService } from '../../monitor/service.ts';
import type { OnlineReport } from '../../monitor/evaluation/types.ts';
import { sampleFeatures } from '../../fixtures/datasets/distribution.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { TOKENS, call, startTestMonitor } from './helpers.ts';

const MODEL = join(REPO_ROOT, 'fixtures/models/classifier.onnx');
const REFERENCE = join(REPO_ROOT, 'fixtures/datasets/reference.jsonl');

let svc: MonitorService;
before(async () => {
  svc = await startTestMonitor({ reference: REFERENCE, model: MODEL, evaluateEvery: 1_000_000, evaluateInterval: '1h', drift: { online: { ert: 5000, window: 100, step: 50, simulations: 100 } } });
});
after(async () => { await svc.close(); });

/** Posts rows in batches of 50 and resolves once the online detector has seen them all. */
async function ingest(rows: number[][]): Promise<OnlineReport> {
  const target = (svc.engine.online?.enabled ? svc.engine.online.samples : 0) + rows.length;
  // (before the detector is ready every report is `enabled: false` and resolves at once)
  const seen = new Promise<OnlineReport>((resolve) => {
    const on = (o: OnlineReport): void => { if (!o.enabled || o.samples >= target) { svc.engine.off('online', on); resolve(o); } };
    svc.engine.on('online', on);
  });
  for (let i = 0; i < rows.length; i += 50) {
    const res = await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: rows.slice(i, i + 50) } });
    assert.equal(res.status, 200, res.text);
  }
  return seen;
}

const gauge = async (name: string): Promise<number> => {
  const text = await svc.registry.metrics();
  return Number(new RegExp(`^${name}\\{model="classifier"\\} (\\S+)$`, 'm').exec(text)?.[1]);
};

/** The detector calibrates in the worker after start; batches before that are reported as calibrating. */
async function untilCalibrated(): Promise<void> {
  const rows = sampleFeatures(400, 414141);
  for (let i = 0; i < 400; i++) {
    const report = await ingest(rows.slice(i, i + 1));
    if (report.enabled) return;
    assert.equal(report.reason, 'calibrating');
  }
  assert.fail('the online detector never finished calibrating');
}

test('online detector in the service: calibrated at start on inputs and classifier outputs; clean traffic keeps the alarm down, a +0.5 sd shift on two features raises it', async () => {
  await untilCalibrated();
  assert.equal((await call(`${svc.url}/v1/reset`, { method: 'POST', token: TOKENS.admin })).status, 200);
  const clean = await ingest(sampleFeatures(300, 424242));
  assert.ok(clean.enabled, JSON.stringify(clean));
  assert.equal(clean.ert, 5000);
  assert.equal(clean.alarm, false);
  assert.ok(clean.threshold > 1 && clean.threshold < 10, `threshold ${clean.threshold}`);
  assert.equal(await gauge('vigil_drift_online_threshold'), clean.threshold);
  assert.equal(await gauge('vigil_drift_online_statistic'), clean.statistic);
  const drifted = await ingest(sampleFeatures(400, 434343, { meanShift: { features: [3, 7], by: 0.5 } }));
  assert.ok(drifted.enabled && drifted.alarm, JSON.stringify(drifted));
  assert.equal(await gauge('vigil_drift_alarm'), 1);
  assert.ok((await gauge('vigil_drift_alarms_total')) >= 1);
  const history = (await call(`${svc.url}/v1/drift`, { token: TOKENS.viewer })).json as { online: OnlineReport };
  assert.equal(history.online.enabled && history.online.alarm, true);
  // POST /v1/reset restarts the detector's stream: no alarm until a new window has been scored.
  assert.equal((await call(`${svc.url}/v1/reset`, { method: 'POST', token: TOKENS.admin })).status, 200);
  const after = await ingest(sampleFeatures(50, 454545));
  assert.ok(after.enabled && !after.alarm && after.samples === 50 && after.alarms === 0, JSON.stringify(after));
});
