import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { requireTool } from '../helpers/tools.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { startPrometheus, waitFor, type PrometheusServer } from './prometheus-server.ts';
import { CLASSIFIER, readRows, startMonitorProcess } from './monitor-process.ts';
import { allExpressions, readDashboards } from '../dashboards/dashboard-json.ts';
import { TEST_PROFILE_FILE } from '../../alerts/index.ts';
import { startFixtureServer } from '../../fixtures/servers/index.ts';

/**
 * End to end: two real monitors (`vigil monitor serve`, the fixture ONNX classifier and reference
 * set), one fed clean data on /v1/observations, the other drifted data as live traffic through
 * its proxy to a fixture model server (the same ONNX model, 5 % injected 500s), scraped every
 * second by a real Prometheus that loads the generated test-profile rules. The drift alert must
 * fire for the drifted monitor and never for the clean one; every dashboard query must evaluate
 * on that Prometheus, and the panels of the series the monitor exports must show data.
 */

interface AlertJson { labels: Record<string, string>; annotations: Record<string, string>; state: string }
interface VectorJson { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }


/** Sends the next batch of rows every 300 ms (so evaluations keep coming) until stopped. */
function feed(send: (rows: number[][]) => Promise<unknown>, rows: number[][], batch: number, signal: AbortSignal): Promise<void> {
  return (async () => {
    for (let i = 0; !signal.aborted; i = (i + batch) % rows.length) {
      await send(rows.slice(i, i + batch));
      await new Promise((r) => setTimeout(r, 300));
    }
  })();
}

/** Grafana's variables and interval macros, replaced the way Grafana would with "All" selected. */
function expandGrafanaMacros(expr: string): string {
  return expr.replace(/\$__rate_interval/g, '15s').replace(/\$__interval/g, '5s').replace(/\$(job|model|target|scenario)\b/g, '.*');
}

async function firingDriftAlerts(prom: PrometheusServer, model: string): Promise<AlertJson[]> {
  const { alerts } = await prom.api<{ alerts: AlertJson[] }>('/api/v1/alerts');
  return alerts.filter((a) => a.labels.alertname === 'VigilDriftDetected' && a.labels.model === model && a.state === 'firing');
}

test('real monitor + real Prometheus: drifted data fires VigilDriftDetected, clean data never does, every dashboard query evaluates', { timeout: 90_000 }, async (t) => {
  if (!requireTool(t, 'prometheus')) return;
  const stopFeeding = new AbortController();
  const cleanup: (() => Promise<void>)[] = [];
  t.after(async () => {
    stopFeeding.abort();
    for (const fn of cleanup.reverse()) await fn();
  });

  const upstream = await startFixtureServer({ model: { path: CLASSIFIER }, serviceTime: { kind: 'lognormal', medianMs: 4, sigma: 0.5 }, errorRate: 0.05, seed: 7 });
  cleanup.push(() => upstream.close());
  // A light online-detector calibration (20 simulated streams): on a loaded 2-core machine the
  // default's few CPU-seconds at start compete with the proxied requests this test times.
  const configDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  writeFileSync(join(configDir, 'monitor.yaml'), 'drift: { online: { simulations: 20 } }\n');
  cleanup.push(async () => { rmSync(configDir, { recursive: true, force: true }); });
  const window = ['--config', join(configDir, 'monitor.yaml'), '--window', '200', '--evaluate-every', '50', '--min-samples', '50'];
  const [clean, drifted] = await Promise.all([
    // The clean feed cycles 500 rows at ~170 samples/s: a large ERT keeps a false alarm (expected
    // once per ERT samples) out of the run, so "never fires" tests the rule, not luck.
    startMonitorProcess('clean-model', [...window, '--ert', '100000000']),
    startMonitorProcess('drifted-model', [...window, '--upstream', upstream.url]),
  ]);
  cleanup.push(clean.close, drifted.close);
  const prom = await startPrometheus({
    targets: [{ job: 'vigil-monitor', hostPort: clean.hostPort }, { job: 'vigil-monitor', hostPort: drifted.hostPort }],
    ruleFiles: [join(REPO_ROOT, 'alerts', 'generated', TEST_PROFILE_FILE)],
  });
  cleanup.push(prom.close);

  const feeders = [
    feed((rows) => clean.observe(rows), readRows('fixtures/datasets/current-clean.jsonl'), 50, stopFeeding.signal),
    // Live traffic: one request per row batch of 5, 10 requests per tick, through the proxy.
    feed((rows) => Promise.all(Array.from({ length: 10 }, (_, k) => drifted.predict(rows.slice(k * 5, k * 5 + 5)))), readRows('fixtures/datasets/drift-mean-shift.jsonl'), 50, stopFeeding.signal),
  ];
  cleanup.push(async () => { await Promise.allSettled(feeders); });

  // Both monitors have evaluated and been scraped a few times.
  await waitFor('drift verdicts of both monitors in Prometheus', async () => {
    const v = await prom.api<VectorJson>(`/api/v1/query?query=${encodeURIComponent('count by (model) (count_over_time(vigil_drift_detected[10s]) >= 3)')}`);
    return v.result.length === 2 ? true : undefined;
  }, 30_000);
  // ...and both online detectors have calibrated (in the worker, after start) and scored a window.
  await waitFor('online detector statistics of both monitors in Prometheus', async () => {
    const v = await prom.api<VectorJson>(`/api/v1/query?query=${encodeURIComponent('count by (model) (vigil_drift_online_statistic)')}`);
    return v.result.length === 2 ? true : undefined;
  }, 30_000);

  await t.test('every PromQL expression of every generated dashboard parses and evaluates', async () => {
    const exprs = allExpressions(readDashboards());
    assert.ok(exprs.length > 30, `${exprs.length} expressions`);
    const empty: string[] = [];
    for (const { where, expr } of exprs) {
      const label = /^label_values\((.+), (\w+)\)$/.exec(expr);
      if (label) {
        // Grafana runs label_values(metric, label) as the label-values API with a series matcher.
        const [, matcher, name] = label as unknown as [string, string, string];
        const values = await prom.api<string[]>(`/api/v1/label/${name}/values?match[]=${encodeURIComponent(expandGrafanaMacros(matcher))}`);
        if (['job', 'model'].includes(name) && matcher.startsWith('vigil_drift')) assert.ok(values.length > 0, `${where}: no values`);
        continue;
      }
      const promql = expandGrafanaMacros(expr);
      assert.doesNotMatch(promql, /\$/, `${where}: unexpanded variable in ${promql}`);
      const body = await prom.raw(`/api/v1/query?query=${encodeURIComponent(promql)}`);
      assert.equal(body.status, 'success', `${where}: ${promql}\n${body.errorType}: ${body.error}`);
      if ((body.data as VectorJson).result.length === 0) empty.push(where);
    }
    if (process.env.VIGIL_DEBUG_E2E) console.error('empty:', empty);
    // Every series the monitor exports shows up in its panels (no GPU here, no scheduler, and the
    // leak watcher has no slope yet after a few seconds).
    const monitorPanels = ['Requests per second', 'Error ratio', 'Latency P50 / P95 / P99 / A', 'Latency P50 / P95 / P99 / C', 'Latency distribution',
      'Reference inference', 'Drift decisions', 'Online drift detector: statistic vs threshold / A', 'Online drift detector: statistic vs threshold / B', 'Drift p-values', 'MMD²', 'KS statistic per feature', 'KS p-value per feature',
      'Drift window and evaluation time / A', 'Drift window and evaluation time / B',
      'Monitor degraded: evaluations failing', 'Drift verdict stale', 'Verdict age and failed evaluations / A', 'Verdict age and failed evaluations / B', 'Parity: agreement', 'Parity: max', 'Memory by target', 'Leak verdict'];
    for (const mustHaveData of monitorPanels) {
      assert.ok(!empty.some((w) => w.includes(mustHaveData)), `${mustHaveData} shows no data on the real monitor (empty: ${empty.join(', ')})`);
    }
  });

  await t.test('drifted data: VigilDriftDetected fires (sustained, via the test-profile rules)', async () => {
    const firing = await waitFor('VigilDriftDetected firing for drifted-model', async () => {
      const a = await firingDriftAlerts(prom, 'drifted-model');
      return a.length > 0 ? a : undefined;
    }, 45_000);
    const alert = firing[0] as AlertJson;
    assert.equal(alert.labels.severity, 'warning');
    assert.equal(alert.labels.job, 'vigil-monitor');
    assert.match(alert.annotations.description ?? '', /^The online drift detector of model drifted-model, job vigil-monitor, raised its alarm within the last 10s/);
    assert.match(alert.annotations.runbook_url ?? '', /\/VigilDriftDetected\.md$/);
  });

  await t.test('the 5 % upstream errors page (1h/5m burn); latency, parity and target-down stay quiet', async () => {
    const burn = await waitFor('VigilErrorBudgetBurn 1h/5m firing for drifted-model', async () => {
      const { alerts } = await prom.api<{ alerts: AlertJson[] }>('/api/v1/alerts');
      return alerts.find((a) => a.labels.alertname === 'VigilErrorBudgetBurn' && a.labels.long_window === '1h' && a.labels.model === 'drifted-model' && a.state === 'firing');
    }, 30_000);
    assert.equal(burn.labels.severity, 'critical');
    // The fixture answers 5 % of requests with a 500: the page fires on a ratio in that region.
    const ratio = Number(/^([\d.]+)% of the requests/.exec(burn.annotations.description ?? '')?.[1]);
    assert.ok(ratio > 1.44 && ratio < 20, `error ratio ${ratio} %`);
    const { alerts } = await prom.api<{ alerts: AlertJson[] }>('/api/v1/alerts');
    const quiet = ['VigilHighLatencyP99', 'VigilParityDegraded', 'VigilTargetDown'];
    assert.deepEqual(alerts.filter((a) => quiet.includes(a.labels.alertname ?? '')).map((a) => `${a.labels.alertname} ${a.state}`), []);
  });

  await t.test('clean data: VigilDriftDetected never fires', async () => {
    // The clean monitor has been scraped for longer than the drift window plus `for` (10s + 5s).
    await waitFor('16 s of clean verdicts', async () => {
      const v = await prom.api<VectorJson>(`/api/v1/query?query=${encodeURIComponent('count_over_time(vigil_drift_window_samples{model="clean-model"}[60s])')}`);
      return Number(v.result[0]?.value[1] ?? 0) >= 16 ? true : undefined;
    }, 30_000);
    assert.deepEqual(await firingDriftAlerts(prom, 'clean-model'), []);
    const everFired = await prom.api<VectorJson>(`/api/v1/query?query=${encodeURIComponent('max_over_time(ALERTS{alertname="VigilDriftDetected",alertstate="firing",model="clean-model"}[2m])')}`);
    assert.deepEqual(everFired.result, [], 'the clean model never had a firing drift alert');
    // ...and the rule did run over the clean data: its verdicts are in Prometheus, and the rule is healthy.
    const verdicts = await prom.api<VectorJson>(`/api/v1/query?query=${encodeURIComponent('vigil_drift_detected{model="clean-model"}')}`);
    assert.ok(verdicts.result.length >= 1, 'clean verdicts (the family decision) scraped');
    const rules = await prom.api<{ groups: { rules: { name: string; health: string; type: string }[] }[] }>('/api/v1/rules');
    const drift = rules.groups.flatMap((g) => g.rules).find((r) => r.name === 'VigilDriftDetected');
    assert.equal(drift?.health, 'ok');
  });
});
