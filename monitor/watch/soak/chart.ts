import { escapeHtml, selfContainedPage } from '../../../common/html.ts';
import { formatBytes } from '../../../common/units.ts';
import { formatDurationMs } from '../../../common/duration.ts';
import type { SoakResult } from './soak.ts';
import type { SoakSeries } from './verdict.ts';

/**
 * The soak report: per target, memory over time (every sample, the bucket minima the trend ran
 * on, the fitted Theil–Sen line, the limit when it is in view) and the verdict; chart.js inlined.
 */
export function renderSoakReport(result: SoakResult, series: readonly SoakSeries[]): string {
  const charts = result.targets.map((v, i) => {
    const s = series.find((x) => x.target === v.target && x.kind === v.kind);
    const t0 = s?.wallMs[0] ?? 0;
    const last = s?.wallMs[s.wallMs.length - 1] ?? t0;
    const fitLine = v.fit && v.slopeBytesPerSecond !== null
      ? [t0, last].map((t) => ({ x: (t - t0) / 1000, y: ((v.fit as { interceptBytes: number }).interceptBytes + (v.slopeBytesPerSecond as number) * ((t - t0) / 1000)) / 1e6 }))
      : [];
    return {
      id: `mem${i}`,
      title: `${v.target} ${v.kind}`,
      samples: (s?.wallMs ?? []).map((t, k) => ({ x: (t - t0) / 1000, y: (s?.bytes[k] ?? 0) / 1e6 })),
      minima: v.points.wallMs.map((t, k) => ({ x: (t - t0) / 1000, y: (v.points.bytes[k] ?? 0) / 1e6 })),
      fit: fitLine,
      limitMB: v.limitBytes !== null && v.endBytes !== null && v.limitBytes < 2 * v.endBytes ? v.limitBytes / 1e6 : null,
    };
  });
  const rows = result.targets.map((v) => `<tr><td>${escapeHtml(v.target)}</td><td>${escapeHtml(v.kind)}</td><td>${v.samples}</td>`
    + `<td>${v.startBytes === null ? '-' : formatBytes(v.startBytes)} → ${v.endBytes === null ? '-' : formatBytes(v.endBytes)}</td>`
    + `<td>${v.slopeMBPerHour === null ? '-' : v.slopeMBPerHour.toFixed(1)}</td><td>${v.pValue === null ? '-' : v.pValue.toExponential(2)}</td>`
    + `<td>${v.secondsToExhaustion === null ? 'no limit / not growing' : `${formatDurationMs(v.secondsToExhaustion * 1000)} (${escapeHtml(v.projectedOomAt ?? '')})`}</td>`
    + `<td class="${v.leakSuspected ? 'fail' : 'ok'}">${v.inconclusive ? 'inconclusive (run too short)' : v.leakSuspected ? 'LEAK SUSPECTED' : 'no leak'}</td></tr>`).join('\n');
  const load = result.load;
  const body = `<h1>Soak run: ${escapeHtml(result.scenario)}</h1>
<p class="meta">${escapeHtml(result.startedAt)} → ${escapeHtml(result.endedAt)} · ${load.requests} requests at ${load.qps.toFixed(1)} req/s · p99 ${load.p99Ms.toFixed(1)} ms · errors ${(load.errorRate * 100).toFixed(2)} %</p>
<h2>Verdict</h2>
<table><tr><th>target</th><th>kind</th><th>samples</th><th>memory</th><th>slope (MB/h)</th><th>p-value (Mann–Kendall)</th><th>projected time to limit</th><th>verdict</th></tr>
${rows}</table>
<p class="meta">Slope: Theil–Sen over per-bucket minima (the post-GC floor); MB = 10<sup>6</sup> bytes.</p>
<h2>Memory over time</h2>
<div class="charts">${charts.map((c) => `<div class="chart"><canvas id="${c.id}"></canvas></div>`).join('')}</div>`;
  return selfContainedPage({ title: `vigil soak: ${result.scenario}`, body, data: charts, script: CHART_SCRIPT });
}

const CHART_SCRIPT = `
for (const c of window.__DATA__) {
  const datasets = [
    { type: 'line', label: 'samples (MB)', data: c.samples, borderColor: '#8c959f', borderWidth: 1, pointRadius: 0 },
    { type: 'scatter', label: 'bucket minima', data: c.minima, backgroundColor: '#0969da', pointRadius: 3 },
    { type: 'line', label: 'Theil–Sen fit', data: c.fit, borderColor: '#cf222e', borderWidth: 2, pointRadius: 0 },
  ];
  if (c.limitMB !== null) datasets.push({ type: 'line', label: 'limit', data: c.samples.length ? [{ x: 0, y: c.limitMB }, { x: c.samples[c.samples.length - 1].x, y: c.limitMB }] : [], borderColor: '#9a6700', borderDash: [6, 4], pointRadius: 0 });
  new Chart(document.getElementById(c.id), {
    data: { datasets },
    options: { animation: false, maintainAspectRatio: false, parsing: false,
      plugins: { title: { display: true, text: c.title } },
      scales: { x: { type: 'linear', title: { display: true, text: 'seconds since start' } }, y: { title: { display: true, text: 'memory (MB)' } } } },
  });
}`;
