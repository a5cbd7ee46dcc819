import { escapeHtml, selfContainedPage } from '../../common/html.ts';
import type { CapacityResult } from './types.ts';

/** Latency SLO lines to draw: `p99<300ms` → { label: 'p99', ms: 300 }. Non-latency SLOs are skipped. */
export function sloLines(slo: readonly string[]): { label: string; ms: number }[] {
  const out: { label: string; ms: number }[] = [];
  for (const expr of slo) {
    const m = /^\s*(p\d+|mean|max|min)\s*<=?\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$/.exec(expr);
    if (m) out.push({ label: `SLO ${expr.trim()}`, ms: Number(m[2]) * (m[3] === 's' ? 1000 : 1) });
  }
  return out;
}

/**
 * The self-contained HTML capacity report: verdict, two charts (latency percentiles vs achieved
 * throughput with the SLO line; achieved vs offered load with the ideal diagonal) and the step table.
 */
export function renderCapacityHtml(r: CapacityResult): string {
  // the decisive step per load (a failure that was re-run is superseded by its re-run), in load order
  const points = [...r.steps].filter((s) => s.requests > 0 && !s.superseded).sort((a, b) => a.offeredRate - b.offeredRate);
  const data = {
    mode: r.mode,
    steps: points.map((s) => ({ offered: s.offeredRate, achieved: s.achievedQps, p50: s.latencyMs.p50, p95: s.latencyMs.p95, p99: s.latencyMs.p99, mean: s.latencyMs.mean, ok: s.ok })),
    slo: sloLines(r.slo),
    max: r.maxSustainableQps,
  };
  const verdict = r.maxSustainableQps === null
    ? `<p class="fail">${r.aborted ? 'Aborted before a complete step met the SLO.' : 'No load meets the SLO.'}</p>`
    : `<p class="ok">Max sustainable throughput: ${r.maxSustainableQps} req/s</p>`;
  const body = `
<h1>Capacity of ${escapeHtml(r.target)}</h1>
<div class="meta">${escapeHtml(r.startedAt)} → ${escapeHtml(r.endedAt)} · SLO ${escapeHtml(r.slo.join(', ') || '(none)')} · stop: ${escapeHtml(r.stopReason)}${r.aborted ? ' · <span class="fail">aborted</span>' : ''}</div>
${verdict}
<div class="charts">
  <div class="chart"><canvas id="latency-vs-throughput"></canvas></div>
  <div class="chart"><canvas id="throughput-vs-offered"></canvas></div>
</div>
<h2>Steps (in the order they ran)</h2>
${stepsTable(r)}
${r.knee ? `<p>Knee (Kneedle on P99 vs achieved throughput): ${r.knee.achievedQps.toFixed(1)} req/s at P99 ${r.knee.latencyMs.toFixed(1)} ms.</p>` : ''}
${replicasText(r)}`;
  return selfContainedPage({ title: `vigil capacity — ${r.target}`, body, data, script: SCRIPT, css: 'tr.superseded td{color:#8c959f}' });
}

function stepsTable(r: CapacityResult): string {
  const unit = r.mode === 'rate' ? 'offered (req/s)' : 'connections';
  const llm = r.steps.some((s) => s.stream !== undefined);
  const llmCells = (s: CapacityResult['steps'][number]): string => {
    if (!llm) return '';
    const st = s.stream;
    if (!st) return '<td>–</td><td>–</td><td>–</td><td>–</td>';
    return `<td>${st.ttftMs.p99.toFixed(1)}</td><td>${st.tpotMs.p50.toFixed(1)}</td><td>${st.outputTokensPerS.toFixed(0)}</td><td>${st.attainment !== undefined ? `${(st.attainment * 100).toFixed(1)} %` : '–'}</td>`;
  };
  const rows = r.steps.map((s, i) => {
    const l = s.latencyMs;
    const verdict = s.aborted ? '<span class="fail">aborted</span>' : s.ok ? '<span class="ok">ok</span>' : `<span class="fail">${escapeHtml(s.failures.join(' + '))}</span>`;
    const mark = s.ok && r.maxSustainableOffered === s.offeredRate ? ' ← max' : '';
    return `<tr${s.superseded ? ' class="superseded"' : ''}><td>${i + 1} ${escapeHtml(s.phase)}</td><td>${s.offeredRate}</td><td>${s.achievedQps.toFixed(1)}</td>` +
      `<td>${l.mean.toFixed(1)}</td><td>${l.p50.toFixed(1)}</td><td>${l.p95.toFixed(1)}</td><td>${l.p99.toFixed(1)}</td><td>${(s.errorRate * 100).toFixed(2)} %</td>${llmCells(s)}<td>${verdict}${mark}</td></tr>`;
  }).join('\n');
  return `<table><thead><tr><th>step</th><th>${unit}</th><th>achieved (req/s)</th><th>mean (ms)</th><th>P50 (ms)</th><th>P95 (ms)</th><th>P99 (ms)</th><th>errors</th>${llm ? '<th>TTFT P99 (ms)</th><th>TPOT P50 (ms)</th><th>tokens/s</th><th>attainment</th>' : ''}<th>verdict</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function replicasText(r: CapacityResult): string {
  if (!r.replicas) return '';
  const count = r.replicas.count === null ? 'cannot be computed (no load met the SLO)' : `<b>${r.replicas.count}</b>`;
  return `<p>Replicas for a peak of ${r.replicas.peakQps} req/s with ${Math.round(r.replicas.headroom * 100)} % headroom: ${count}.</p><p class="meta">Assumption: ${escapeHtml(r.replicas.assumption)}.</p>`;
}

const SCRIPT = `
(function () {
  const d = window.__DATA__;
  const xy = (k) => d.steps.map((s) => ({ x: s.achieved, y: s[k] }));
  const xs = d.steps.map((s) => s.achieved);
  const xMin = Math.min(...xs, 0), xMax = Math.max(...xs, 1);
  const sloSets = d.slo.map((l) => ({ label: l.label, data: [{ x: xMin, y: l.ms }, { x: xMax, y: l.ms }], borderColor: '#cf222e', borderDash: [6, 4], pointRadius: 0, showLine: true }));
  new Chart(document.getElementById('latency-vs-throughput'), {
    type: 'scatter',
    data: { datasets: [
      { label: 'P50', data: xy('p50'), borderColor: '#0969da', showLine: true },
      { label: 'P95', data: xy('p95'), borderColor: '#bf8700', showLine: true },
      { label: 'P99', data: xy('p99'), borderColor: '#8250df', showLine: true, pointBackgroundColor: d.steps.map((s) => (s.ok ? '#8250df' : '#cf222e')) },
      ...sloSets,
    ] },
    options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: 'Latency vs achieved throughput' } },
      scales: { x: { title: { display: true, text: 'achieved throughput (req/s)' } }, y: { title: { display: true, text: 'latency (ms)' }, beginAtZero: true } } },
  });
  const offered = d.steps.map((s) => s.offered);
  const oMax = Math.max(...offered, 1);
  new Chart(document.getElementById('throughput-vs-offered'), {
    type: 'scatter',
    data: { datasets: [
      { label: 'achieved', data: d.steps.map((s) => ({ x: s.offered, y: s.achieved })), borderColor: '#1a7f37', showLine: true,
        pointBackgroundColor: d.steps.map((s) => (s.ok ? '#1a7f37' : '#cf222e')) },
      ...(d.mode === 'rate' ? [{ label: 'ideal (achieved = offered)', data: [{ x: 0, y: 0 }, { x: oMax, y: oMax }], borderColor: '#8c959f', borderDash: [4, 4], pointRadius: 0, showLine: true }] : []),
    ] },
    options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: 'Throughput vs offered load' } },
      scales: { x: { title: { display: true, text: d.mode === 'rate' ? 'offered (req/s)' : 'connections' }, beginAtZero: true }, y: { title: { display: true, text: 'achieved (req/s)' }, beginAtZero: true } } },
  });
})();
`;
