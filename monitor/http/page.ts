import { escapeHtml } from '../../common/html.ts';

/**
 * `GET /`: a live page for users without Grafana. The shell holds no data; its script polls
 * /v1/status, /v1/drift and /v1/traffic every 2 s with the bearer token given in the URL
 * fragment (`/#token=...`, never sent to the server in the URL) and redraws four chart.js
 * charts; a banner says when the monitor is degraded (evaluations failing) or its verdict stale. chart.js is served from node_modules at /assets/chart.js (no CDN).
 */
export function livePage(opts: { model: string; authRequired: boolean }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vigil monitor — ${escapeHtml(opts.model)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 4px} .meta{color:#59636e;font-size:13px} #verdict{font-size:16px;margin:12px 0;font-weight:600}
.drift{color:#cf222e} .ok{color:#1a7f37} .stale{color:#59636e} #auth{display:none;color:#cf222e}
#health{display:none;margin:8px 0;padding:8px 12px;border:1px solid #cf222e;border-radius:6px;background:#ffebe9;color:#82071e;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:16px;margin-top:12px}
.chart{position:relative;height:300px;border:1px solid #d0d7de;border-radius:6px;padding:8px}
</style></head><body>
<h1>vigil monitor — model <code>${escapeHtml(opts.model)}</code></h1>
<div class="meta" id="meta">loading…</div>
<div id="health" role="alert"></div>
<div id="verdict">waiting for the first evaluation…</div>
<div id="auth">This service needs a viewer token: open <code>/#token=YOUR_TOKEN</code>.</div>
<div class="charts">
  <div class="chart"><canvas id="pvalues"></canvas></div>
  <div class="chart"><canvas id="ks"></canvas></div>
  <div class="chart"><canvas id="parity"></canvas></div>
  <div class="chart"><canvas id="traffic"></canvas></div>
</div>
<script src="/assets/chart.js"></script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}

const PAGE_SCRIPT = String.raw`
(function () {
  var m = /token=([^&]+)/.exec(location.hash);
  if (m) { sessionStorage.setItem('vigilToken', decodeURIComponent(m[1])); history.replaceState(null, '', location.pathname); }
  var token = sessionStorage.getItem('vigilToken');
  var headers = token ? { authorization: 'Bearer ' + token } : {};
  Chart.defaults.animation = false;
  function line(id, title, yOpts) {
    return new Chart(document.getElementById(id), { type: 'line', data: { labels: [], datasets: [] },
      options: { maintainAspectRatio: false, plugins: { title: { display: true, text: title } }, scales: { y: yOpts || {} }, elements: { point: { radius: 2 } } } });
  }
  var pv = line('pvalues', 'Drift p-values over time (log scale; below the dashed line = drift)', { type: 'logarithmic', min: 1e-6, max: 1, title: { display: true, text: 'p-value' } });
  var parity = line('parity', 'Parity: deployed vs reference model', { min: 0, title: { display: true, text: 'abs diff / ratio' } });
  var traffic = line('traffic', 'Traffic: per second', { min: 0, title: { display: true, text: 'requests or samples / s' } });
  traffic.options.scales.y1 = { position: 'right', min: 0, title: { display: true, text: 'latency ms' }, grid: { drawOnChartArea: false } };
  var ks = new Chart(document.getElementById('ks'), { type: 'bar', data: { labels: [], datasets: [] },
    options: { maintainAspectRatio: false, plugins: { title: { display: true, text: 'KS statistic per input feature (last evaluation; red = drift)' } }, scales: { y: { min: 0, max: 1 } } } });
  function get(path) {
    return fetch(path, { headers: headers }).then(function (r) {
      if (r.status === 401 || r.status === 403) { document.getElementById('auth').style.display = 'block'; throw new Error('auth'); }
      return r.json();
    });
  }
  function time(iso) { return new Date(iso).toLocaleTimeString(); }
  function render(status, drift, tr) {
    var ev = drift.evaluations;
    var labels = ev.map(function (e) { return time(e.at); });
    var alpha = drift.alpha;
    var sets = [
      { label: 'FAMILY (decides)', data: ev.map(function (e) { return Math.max(e.family.pValue, 1e-6); }), borderColor: '#24292f', borderWidth: 3 },
      { label: 'inputs KS (corrected)', data: ev.map(function (e) { return Math.max(e.inputs.ks.pValue, 1e-6); }), borderColor: '#0969da' },
      { label: 'inputs MMD', data: ev.map(function (e) { return Math.max(e.inputs.mmd.pValue, 1e-6); }), borderColor: '#8250df' }];
    if (ev.some(function (e) { return e.outputs; })) {
      sets.push({ label: 'outputs KS', data: ev.map(function (e) { return e.outputs ? Math.max(e.outputs.ks.pValue, 1e-6) : null; }), borderColor: '#1a7f37' });
      sets.push({ label: 'outputs MMD', data: ev.map(function (e) { return e.outputs ? Math.max(e.outputs.mmd.pValue, 1e-6) : null; }), borderColor: '#bf8700' });
    }
    sets.push({ label: 'alpha', data: ev.map(function () { return alpha; }), borderColor: '#cf222e', borderDash: [6, 4], pointRadius: 0 });
    pv.data.labels = labels; pv.data.datasets = sets; pv.update();
    var last = ev[ev.length - 1];
    if (last) {
      ks.data.labels = last.inputs.ks.features.map(function (f) { return f.name; });
      ks.data.datasets = [{ label: 'KS statistic', data: last.inputs.ks.features.map(function (f) { return f.statistic; }),
        backgroundColor: last.inputs.ks.features.map(function (f) { return f.drift ? '#cf222e' : '#0969da'; }) }];
      ks.update();
      var v = document.getElementById('verdict');
      var f = last.family;
      var by = f.decidedBy.source + ' ' + f.decidedBy.test + (f.decidedBy.feature ? ' ' + f.decidedBy.feature : '');
      var parts = [(last.drift ? 'DRIFT' : 'no drift') + ' (family p-value ' + f.pValue.toPrecision(2) + ' over ' + f.tests + ' tests, alpha ' + f.alpha + '; smallest: ' + by + ')'];
      if (last.parity) parts.push('parity: ' + (last.parity.degraded ? 'DEGRADED' : 'ok') + ' (max |diff| ' + last.parity.maxAbsDiff.toPrecision(3) + ')');
      v.textContent = parts.join(' · ') + ' — evaluation #' + last.seq + ' at ' + time(last.at);
      v.className = last.drift || (last.parity && last.parity.degraded) ? 'drift' : 'ok';
      if (status.verdict.stale) { v.textContent = 'STALE (withdrawn) — ' + v.textContent; v.className = 'stale'; }
    }
    renderHealth(status);
    var withParity = ev.filter(function (e) { return e.parity; });
    parity.data.labels = withParity.map(function (e) { return time(e.at); });
    parity.data.datasets = [
      { label: 'max |deployed - reference|', data: withParity.map(function (e) { return e.parity.maxAbsDiff; }), borderColor: '#cf222e' },
      { label: 'mean |deployed - reference|', data: withParity.map(function (e) { return e.parity.meanAbsDiff; }), borderColor: '#bf8700' },
      { label: 'argmax agreement ratio', data: withParity.map(function (e) { return e.parity.agreementRatio; }), borderColor: '#1a7f37' }];
    parity.update();
    var pts = tr.points;
    traffic.data.labels = pts.map(function (p) { return new Date(p.t * 1000).toLocaleTimeString(); });
    var ds = [{ label: 'samples observed / s', data: pts.map(function (p) { return p.samples; }), borderColor: '#0969da', yAxisID: 'y' }];
    if (tr.mode === 'proxy') {
      ds.push({ label: 'proxied requests / s (QPS)', data: pts.map(function (p) { return p.requests; }), borderColor: '#8250df', yAxisID: 'y' });
      ds.push({ label: 'upstream P50 ms', data: pts.map(function (p) { return p.p50Ms; }), borderColor: '#1a7f37', yAxisID: 'y1' });
      ds.push({ label: 'upstream P99 ms', data: pts.map(function (p) { return p.p99Ms; }), borderColor: '#cf222e', yAxisID: 'y1' });
    }
    traffic.data.datasets = ds; traffic.update();
    var w = status.windows;
    var win = w.kind === 'duration' ? 'window ' + w.samples + ' samples of the last ' + (w.durationMs >= 60000 ? w.durationMs / 60000 + ' min' : w.durationMs / 1000 + ' s') + ' (at most ' + w.maxSamples + ')'
      : 'window ' + w.samples + '/' + w.capacity + ' samples';
    document.getElementById('meta').textContent = win + ' · ' + w.evaluations + ' evaluations · reference ' +
      status.reference.rows + ' rows × ' + status.reference.features.length + ' features' + (status.model.loaded ? ' · model sha256 ' + status.model.sha256.slice(0, 12) + '…' : '') +
      ' · uptime ' + Math.round(status.uptimeSeconds) + ' s · metrics at /metrics';
    document.body.dataset.evaluations = String(ev.length);
  }
  // Degraded (evaluations failing) and stale (verdict older than staleAfter): the monitor is not watching.
  function renderHealth(status) {
    var h = document.getElementById('health');
    var msgs = [];
    var vd = status.verdict;
    if (status.status === 'degraded') msgs.push('DEGRADED: drift evaluations are failing (' + vd.consecutiveFailures + ' in a row): ' + status.error + ' — /readyz answers 503');
    if (vd.stale) msgs.push('STALE: ' + (vd.lastEvaluationAt ? 'last successful evaluation ' + Math.round(vd.ageSeconds) + ' s ago' : 'no successful evaluation yet') +
      ', stale after ' + vd.staleAfterSeconds + ' s — the drift and parity verdicts are withdrawn');
    h.textContent = msgs.join(' · ');
    h.style.display = msgs.length ? 'block' : 'none';
    document.body.dataset.health = status.status + (vd.stale ? ',stale' : '');
  }
  function tick() {
    Promise.all([get('/v1/status'), get('/v1/drift?limit=200'), get('/v1/traffic')])
      .then(function (r) { render(r[0], r[1], r[2]); })
      .catch(function (err) { if (err.message !== 'auth') console.warn('refresh failed', err); })
      .finally(function () { setTimeout(tick, 2000); });
  }
  tick();
})();
`;
