import { escapeHtml, selfContainedPage } from '../../common/html.ts';
import type { DriftResult } from '../drift/drift-test.ts';
import type { FeatureHistogram } from './histograms.ts';
import { fmt, fmtP } from './format.ts';

/**
 * The self-contained HTML report of `vigil drift test --html`: verdict, per-feature table
 * (test, statistic, p-value, drifted), the MMD result, and overlaid reference/current histograms
 * of every feature (chart.js inlined; no network access needed).
 */
export function renderDriftReport(r: DriftResult, histograms: { numeric: FeatureHistogram[]; categorical: FeatureHistogram[] }, sources: { reference: string; current: string }): string {
  const verdict = r.drift ? '<span class="fail">DRIFT detected</span>' : '<span class="ok">no drift detected</span>';
  const flag = (d: boolean): string => (d ? '<td class="fail">yes</td>' : '<td class="ok">no</td>');
  const featureRows = [
    ...r.ks.features.map((f) => `<tr><td>${escapeHtml(f.name)}</td><td>KS (${f.method})</td><td>${fmt(f.statistic)}</td><td>${fmtP(f.pValue)}</td><td>${fmtP(f.adjustedPValue)}</td><td>${fmt(f.psi)}</td>${flag(f.drift)}</tr>`),
    ...r.categorical.map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>chi-square (dof ${c.dof})</td><td>${fmt(c.statistic)}</td><td>${fmtP(c.pValue)}</td><td>–</td><td>${fmt(c.psi)}</td>${flag(c.drift)}</tr>`),
  ].join('\n');
  const m = r.mmd;
  const mmd = m
    ? `<table id="mmd"><tr><th>MMD²</th><th>threshold at alpha</th><th>p-value</th><th>permutations</th><th>sigma</th><th>drifted</th></tr>
<tr><td>${fmt(m.mmd2)}</td><td>${fmt(m.threshold)}</td><td>${fmtP(m.pValue)}</td><td>${m.permutations}</td><td>${m.sigma.map(fmt).join(', ')}</td>${flag(m.detected)}</tr></table>`
    : '<p class="meta">No numeric features: MMD not run.</p>';
  const all = [...histograms.numeric, ...histograms.categorical];
  const charts = all.map((h, i) => `<div class="chart"><canvas id="hist-${i}" aria-label="${escapeHtml(h.name)}"></canvas></div>`).join('\n');
  const body = `<h1>Drift report</h1>
<p class="meta">reference ${escapeHtml(sources.reference)} (${r.nReference} rows) · current ${escapeHtml(sources.current)} (${r.nCurrent} rows) · alpha ${r.alpha} · KS correction ${r.ks.correction} · computed in ${r.timingsMs.total.toFixed(1)} ms</p>
<p id="verdict" style="font-size:18px">${verdict}</p>
<h2>Per-feature tests</h2>
<table id="features"><tr><th>feature</th><th>test</th><th>statistic</th><th>p-value</th><th>adjusted p-value</th><th>PSI</th><th>drifted</th></tr>
${featureRows}
</table>
<h2>Multivariate MMD (Gaussian RBF, permutation test)</h2>
${mmd}
<h2>Distributions (fraction of each sample per bin)</h2>
<div class="charts">
${charts}
</div>`;
  return selfContainedPage({ title: 'vigil drift report', body, data: { histograms: all }, script: SCRIPT });
}

const SCRIPT = `
window.__DATA__.histograms.forEach(function (h, i) {
  new Chart(document.getElementById('hist-' + i), {
    type: 'bar',
    data: { labels: h.labels, datasets: [
      { label: 'reference', data: h.reference, backgroundColor: 'rgba(9,105,218,0.45)', borderColor: 'rgba(9,105,218,0.9)', borderWidth: 1, grouped: false, barPercentage: 1, categoryPercentage: 1 },
      { label: 'current', data: h.current, backgroundColor: 'rgba(207,34,46,0.40)', borderColor: 'rgba(207,34,46,0.9)', borderWidth: 1, grouped: false, barPercentage: 1, categoryPercentage: 1 }
    ] },
    options: { animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { title: { display: true, text: h.name } },
      scales: { y: { beginAtZero: true, title: { display: true, text: 'fraction of samples' } } } }
  });
});
`;
