import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BreakableClient } from './breakable-client.ts';
import { TOKENS, call, gaussianRows, startTestMonitor, writeReference } from './helpers.ts';

const D = 4;

const metric = (text: string, name: string): string[] => text.split('\n').filter((l) => l.startsWith(name));

test('failing evaluations: /readyz 503 with the reason, /v1/status degraded with one line (no stack, no path), errors counted; recovery clears it', async () => {
  const evaluator = new BreakableClient();
  const svc = await startTestMonitor({ reference: writeReference(gaussianRows(40, D, 1)), window: 30, evaluateEvery: 100_000, minSamples: 10 }, { evaluator });
  try {
    await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(20, D, 2) } });
    assert.ok(await svc.engine.evaluate());
    assert.equal((await call(`${svc.url}/readyz`)).status, 200);

    evaluator.failing = true;
    assert.equal(await svc.engine.evaluate(), undefined);
    assert.equal(await svc.engine.evaluate(), undefined);
    const ready = await call(`${svc.url}/readyz`);
    assert.equal(ready.status, 503);
    const r = ready.json as { ready: boolean; evaluations: string; reason: string };
    assert.equal(r.evaluations, 'failing');
    assert.match(r.reason, /^drift evaluations are failing: .*column/);

    const status = (await call(`${svc.url}/v1/status`, { token: TOKENS.viewer })).json as { status: string; error: string; verdict: { consecutiveFailures: number }; windows: { lastError: string } };
    assert.equal(status.status, 'degraded');
    assert.equal(status.verdict.consecutiveFailures, 2);
    for (const line of [status.error, status.windows.lastError]) {
      assert.ok(!line.includes('\n'), 'one line');
      assert.doesNotMatch(line, /\/work\/|\/monitor\/|\.ts:\d+|\bat /, `no stack, no absolute path: ${line}`);
    }
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    assert.deepEqual(metric(metrics, 'vigil_drift_evaluation_errors_total'), ['vigil_drift_evaluation_errors_total{model="none"} 2']);
    assert.deepEqual(metric(metrics, 'vigil_drift_degraded'), ['vigil_drift_degraded{model="none"} 1']);

    evaluator.failing = false;
    assert.ok(await svc.engine.evaluate());
    assert.equal((await call(`${svc.url}/readyz`)).status, 200);
    assert.equal(((await call(`${svc.url}/v1/status`, { token: TOKENS.viewer })).json as { status: string }).status, 'ok');
    assert.deepEqual(metric(await (await fetch(`${svc.url}/metrics`)).text(), 'vigil_drift_degraded'), ['vigil_drift_degraded{model="none"} 0']);
  } finally {
    await svc.close();
  }
});

test('a verdict older than staleAfter is withdrawn: drift gauges gone, vigil_drift_stale 1; the next evaluation brings them back', async () => {
  const svc = await startTestMonitor({ reference: writeReference(gaussianRows(40, D, 1)), window: 30, evaluateEvery: 100_000, minSamples: 10, staleAfter: '400ms' });
  try {
    await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: gaussianRows(20, D, 3) } });
    const e = await svc.engine.evaluate();
    assert.ok(e);
    let metrics = await (await fetch(`${svc.url}/metrics`)).text();
    assert.deepEqual(metric(metrics, 'vigil_drift_stale'), ['vigil_drift_stale{model="none"} 0']);
    const [stamp] = metric(metrics, 'vigil_drift_last_evaluation_timestamp_seconds');
    assert.ok(stamp !== undefined && Math.abs(Number(stamp.split(' ')[1]) - Date.parse(e.at) / 1000) < 1, stamp);
    assert.ok(metric(metrics, 'vigil_drift_detected{').length > 0);

    // Wait for the stale flag (the engine withdraws the gauges on its own timer).
    while (!metrics.includes('vigil_drift_stale{model="none"} 1') || metric(metrics, 'vigil_drift_detected{').length > 0) {
      await new Promise((r) => setTimeout(r, 100));
      metrics = await (await fetch(`${svc.url}/metrics`)).text();
    }
    assert.deepEqual(metric(metrics, 'vigil_drift_p_value{'), []);
    const status = (await call(`${svc.url}/v1/status`, { token: TOKENS.viewer })).json as { status: string; verdict: { stale: boolean; ageSeconds: number } };
    assert.equal(status.verdict.stale, true);
    assert.ok(status.verdict.ageSeconds >= 0.4);
    assert.equal(status.status, 'ok', 'stale is not failing');

    assert.ok(await svc.engine.evaluate());
    metrics = await (await fetch(`${svc.url}/metrics`)).text();
    assert.deepEqual(metric(metrics, 'vigil_drift_stale'), ['vigil_drift_stale{model="none"} 0']);
    assert.ok(metric(metrics, 'vigil_drift_detected{').length > 0);
  } finally {
    await svc.close();
  }
});
