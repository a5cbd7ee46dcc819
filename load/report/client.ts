/**
 * The browser side of the report: draws the charts from `window.__DATA__` with chart.js (inlined
 * by selfContainedPage). Plain ES2017 as a string: it runs in the page, not in Node.
 */
export const REPORT_CLIENT_SCRIPT = String.raw`
(function () {
  var d = window.__DATA__;
  var C = { qps: '#0969da', err: '#cf222e', p50: '#1a7f37', p95: '#bf8700', p99: '#cf222e', grid: '#eaeef2', spec: '#8250df' };
  Chart.defaults.font.family = 'system-ui,-apple-system,Segoe UI,Roboto,sans-serif';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  function ms(v) { return v >= 1000 ? (v / 1000).toFixed(2) + ' s' : v >= 10 ? v.toFixed(1) + ' ms' : v.toFixed(2) + ' ms'; }
  function pct(p) { var s = p.toFixed(6).replace(/0+$/, '').replace(/\.$/, ''); return s + '%'; }
  function el(id) { return document.getElementById(id); }

  if (el('chart-qps')) {
    new Chart(el('chart-qps'), {
      data: { labels: d.intervals.map(function (i) { return i.t; }), datasets: [
        { type: 'line', label: 'QPS (completed/s)', data: d.intervals.map(function (i) { return i.qps; }), borderColor: C.qps, backgroundColor: 'rgba(9,105,218,.12)', fill: true, pointRadius: 0, tension: 0, yAxisID: 'y' },
        { type: 'bar', label: 'errors/s', data: d.intervals.map(function (i) { return i.errors; }), backgroundColor: 'rgba(207,34,46,.6)', yAxisID: 'y1' }
      ] },
      options: { interaction: { mode: 'index', intersect: false }, scales: {
        x: { title: { display: true, text: 'time since start of measurement (s)' }, grid: { color: C.grid } },
        y: { beginAtZero: true, title: { display: true, text: 'requests/s' }, grid: { color: C.grid } },
        y1: { beginAtZero: true, position: 'right', title: { display: true, text: 'errors/s' }, grid: { drawOnChartArea: false } } } }
    });
  }
  if (el('chart-latency')) {
    var line = function (key, label, color) { return { label: label, data: d.intervals.map(function (i) { return i[key]; }), borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 2, tension: 0 }; };
    new Chart(el('chart-latency'), {
      type: 'line',
      data: { labels: d.intervals.map(function (i) { return i.t; }), datasets: [line('p50', 'P50', C.p50), line('p95', 'P95', C.p95), line('p99', 'P99', C.p99)] },
      options: { interaction: { mode: 'index', intersect: false }, plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + ms(c.parsed.y); } } } },
        scales: { x: { title: { display: true, text: 'time since start of measurement (s)' }, grid: { color: C.grid } },
          y: { beginAtZero: true, title: { display: true, text: 'latency (ms)' }, grid: { color: C.grid } } } }
    });
  }
  if (el('chart-spectrum')) {
    var pts = d.spectrum.map(function (p) { return { x: p.x, y: p.latencyMs, p: p.percentile }; });
    var maxX = Math.max(10, (pts.length ? pts[pts.length - 1].x : 10) * 1.25);
    var ticks = [1, 2, 10]; for (var v = 100; v <= maxX; v *= 10) ticks.push(v);
    var sets = [{ label: d.spectrumSource === 'histogram' ? 'latency at percentile' : 'latency at percentile (summary only, no histogram)', data: pts, borderColor: C.spec, backgroundColor: C.spec, pointRadius: d.spectrumSource === 'histogram' ? 0 : 4, borderWidth: 2, stepped: false }];
    var limitColors = ['#cf222e', '#bc4c00', '#953800', '#82071e'];
    d.latencyLimits.forEach(function (l, i) {
      var end = l.x === null ? maxX : l.x;
      sets.push({ label: 'threshold ' + l.label, data: [{ x: 1, y: l.ms }, { x: end, y: l.ms }], borderColor: limitColors[i % 4], backgroundColor: limitColors[i % 4], borderDash: [6, 4], pointRadius: [0, 5], pointStyle: 'rectRot', borderWidth: 1.5 });
    });
    new Chart(el('chart-spectrum'), {
      type: 'line', data: { datasets: sets },
      options: { parsing: true, interaction: { mode: 'nearest', intersect: false },
        plugins: { tooltip: { callbacks: { label: function (c) { var r = c.raw; return (r.p !== undefined ? pct(r.p) : c.dataset.label) + ': ' + ms(r.y); } } } },
        scales: {
          x: { type: 'logarithmic', min: 1, max: maxX, title: { display: true, text: 'percentile (log scale of 1/(1−p))' }, grid: { color: C.grid },
            afterBuildTicks: function (axis) { axis.ticks = ticks.map(function (t) { return { value: t }; }); },
            ticks: { callback: function (v) { return pct(100 * (1 - 1 / v)); } } },
          y: { beginAtZero: true, title: { display: true, text: 'latency (ms)' }, grid: { color: C.grid } } } }
    });
  }
  if (el('chart-outcomes')) {
    var colors = { ok: '#1a7f37', redirect: '#0969da', client: '#bf8700', server: '#cf222e', transport: '#8250df' };
    var logX = d.outcomes.length > 1;
    new Chart(el('chart-outcomes'), {
      type: 'bar',
      data: { labels: d.outcomes.map(function (o) { return o.label; }), datasets: [{ label: 'responses / errors', data: d.outcomes.map(function (o) { return o.count; }), backgroundColor: d.outcomes.map(function (o) { return colors[o.kind]; }) }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { type: logX ? 'logarithmic' : 'linear', min: logX ? 0.5 : 0, ticks: { callback: function (v) { var l = Math.log10(v); return !logX || Math.abs(l - Math.round(l)) < 1e-9 ? Number(v).toLocaleString('en-US') : ''; } }, title: { display: true, text: logX ? 'count (log scale)' : 'count' }, grid: { color: C.grid } } } }
    });
  }
})();
`;
