/**
 * The report's section on LLM answers (when the result has `summary.stream`): headline cards
 * (TTFT, ITL, TPOT, tokens/s, goodput), TTFT P50/P99 and output tokens/s per second, the TTFT and
 * ITL percentile spectra from their HdrHistograms, and the percentile table.
 */
import { escapeHtml } from '../../common/html.ts';
import { decodeHistogram } from '../histogram.ts';
import type { LatencySummaryMs, LoadResult, StreamSummary } from '../result.ts';
import { percentileSpectrum, type SpectrumPoint } from './spectrum.ts';

export interface StreamChartData {
  intervals: { t: number; ttftP50: number; ttftP99: number; tokensPerS: number }[];
  ttft: SpectrumPoint[];
  itl: SpectrumPoint[];
}

export function streamChartData(r: LoadResult): StreamChartData | undefined {
  const st = r.summary.stream;
  if (!st) return undefined;
  return {
    intervals: r.intervals.map((iv) => ({ t: iv.t, ttftP50: iv.stream?.ttftMs.p50 ?? 0, ttftP99: iv.stream?.ttftMs.p99 ?? 0, tokensPerS: iv.stream?.outputTokensPerS ?? 0 })),
    ttft: spectrumOf(st.histograms?.ttft),
    itl: spectrumOf(st.histograms?.itl),
  };
}

function spectrumOf(b64: string | undefined): SpectrumPoint[] {
  if (!b64) return [];
  const h = decodeHistogram(b64);
  return h.totalCount > 0 ? percentileSpectrum(h) : [];
}

export function streamSection(r: LoadResult, card: (label: string, value: string, cls?: string) => string, ms: (v: number) => string): string {
  const st = r.summary.stream;
  if (!st) return '';
  const g = r.summary.goodput;
  const cards = [
    card('LLM answers', `${st.requests.toLocaleString('en-US')} <small>${st.streamed.toLocaleString('en-US')} streamed</small>`),
    card('TTFT P50', ms(st.ttftMs.p50)),
    card('TTFT P99', ms(st.ttftMs.p99), 'hot'),
    card('ITL P50', ms(st.itlMs.p50)),
    card('TPOT P50', ms(st.tpotMs.p50)),
    card('output tokens/s', `${st.outputTokensPerS.toLocaleString('en-US', { maximumFractionDigits: 0 })}${st.outputTokens.source === 'usage' || st.outputTokens.source === 'none' ? '' : ' <small>(estimated)</small>'}`),
    ...(g ? [card('goodput', `${g.perS.toFixed(1)} <small>req/s · ${(g.attainment * 100).toFixed(1)} %</small>`, g.attainment < 0.95 ? 'bad' : '')] : []),
  ];
  const charts = st.streamed > 0
    ? `<div class="charts"><div class="chart"><canvas id="chart-ttft"></canvas></div><div class="chart"><canvas id="chart-tokens"></canvas></div></div>
<div class="charts wide-first"><div class="chart"><canvas id="chart-stream-spectrum"></canvas></div><div>${percentiles(st, ms)}${tokens(st, r)}</div></div>`
    : `<div class="charts"><div class="chart"><canvas id="chart-tokens"></canvas></div><div>${tokens(st, r)}</div></div>`;
  return `<h2>LLM answers: time to first token, inter-token latency, tokens</h2>
<section class="kpis">${cards.join('')}</section>
${charts}
<p class="note">Measured from each request's intended start, like every latency here, so queueing in the client or the server is never hidden. TTFT: to the first chunk with content; ITL: between content chunks; TPOT: (E2E − TTFT) / (output tokens − 1); TTFB: to the response headers. Only successful answers count; failed streams are errors of class <code>stream</code>.</p>`;
}

function percentiles(st: StreamSummary, ms: (v: number) => string): string {
  const rows: [string, LatencySummaryMs][] = [['TTFT', st.ttftMs], ['ITL', st.itlMs], ['TPOT', st.tpotMs], ['TTFB', st.ttfbMs]];
  const keys = ['min', 'mean', 'p50', 'p90', 'p99', 'p999', 'max'] as const;
  return `<table><tr><th class="left">ms</th>${keys.map((k) => `<th>${k === 'p999' ? 'P99.9' : k.replace('p', 'P')}</th>`).join('')}</tr>${rows.map(([name, l]) => `<tr><td class="left">${name}</td>${keys.map((k) => `<td>${ms(l[k])}</td>`).join('')}</tr>`).join('')}</table>`;
}

function tokens(st: StreamSummary, r: LoadResult): string {
  const source = { usage: 'from the server\'s usage', chunks: 'ESTIMATED from content-chunk counts (the server sent no usage)', mixed: `${st.outputTokens.estimatedRequests} answers estimated from chunk counts`, none: 'no successful answer' }[st.outputTokens.source];
  const endpoints = Object.entries(r.endpoints).filter(([, e]) => e.stream);
  const perEndpoint = endpoints.length > 1
    ? `<table><tr><th class="left">endpoint</th><th>answers</th><th>TTFT P99</th><th>tokens/s</th></tr>${endpoints.map(([k, e]) => `<tr><td class="left"><code>${escapeHtml(k)}</code></td><td>${e.stream?.requests ?? 0}</td><td>${(e.stream?.ttftMs.p99 ?? 0).toFixed(1)} ms</td><td>${(e.stream?.outputTokensPerS ?? 0).toFixed(0)}</td></tr>`).join('')}</table>`
    : '';
  return `<table><tr><th class="left">tokens</th><th></th></tr><tr><td class="left">output</td><td>${st.outputTokens.total.toLocaleString('en-US')} <small>${escapeHtml(source)}</small></td></tr><tr><td class="left">input (usage.prompt_tokens)</td><td>${st.inputTokens.total.toLocaleString('en-US')}</td></tr><tr><td class="left">output tokens/s</td><td>${st.outputTokensPerS.toLocaleString('en-US', { maximumFractionDigits: 1 })}</td></tr></table>${perEndpoint}`;
}

/** Browser side: draws the section's charts from `window.__DATA__.stream` (plain ES2017, runs in the page). */
export const STREAM_CLIENT_SCRIPT = String.raw`
(function () {
  var s = window.__DATA__.stream;
  if (!s) return;
  function el(id) { return document.getElementById(id); }
  var labels = s.intervals.map(function (i) { return i.t; });
  var xAxis = { title: { display: true, text: 'time since start of measurement (s)' }, grid: { color: '#eaeef2' } };
  if (el('chart-ttft')) new Chart(el('chart-ttft'), { type: 'line',
    data: { labels: labels, datasets: [
      { label: 'TTFT P50', data: s.intervals.map(function (i) { return i.ttftP50; }), borderColor: '#1a7f37', backgroundColor: '#1a7f37', pointRadius: 0, borderWidth: 2 },
      { label: 'TTFT P99', data: s.intervals.map(function (i) { return i.ttftP99; }), borderColor: '#cf222e', backgroundColor: '#cf222e', pointRadius: 0, borderWidth: 2 }] },
    options: { plugins: { title: { display: true, text: 'Time to first token per second (streams completed in it)' } }, interaction: { mode: 'index', intersect: false },
      scales: { x: xAxis, y: { beginAtZero: true, title: { display: true, text: 'TTFT (ms)' } } } } });
  if (el('chart-tokens')) new Chart(el('chart-tokens'), { type: 'line',
    data: { labels: labels, datasets: [{ label: 'output tokens/s', data: s.intervals.map(function (i) { return i.tokensPerS; }), borderColor: '#0969da', backgroundColor: 'rgba(9,105,218,.12)', fill: true, pointRadius: 0 }] },
    options: { plugins: { title: { display: true, text: 'Output tokens per second (by arrival of the chunks)' } }, scales: { x: xAxis, y: { beginAtZero: true, title: { display: true, text: 'tokens/s' } } } } });
  if (el('chart-stream-spectrum')) {
    var pts = function (sp) { return sp.map(function (p) { return { x: p.x, y: p.latencyMs }; }); };
    var last = Math.max(10, s.ttft.length ? s.ttft[s.ttft.length - 1].x : 10, s.itl.length ? s.itl[s.itl.length - 1].x : 10) * 1.25;
    var ticks = [1, 2, 10]; for (var v = 100; v <= last; v *= 10) ticks.push(v);
    new Chart(el('chart-stream-spectrum'), { type: 'line',
      data: { datasets: [
        { label: 'TTFT', data: pts(s.ttft), borderColor: '#8250df', backgroundColor: '#8250df', pointRadius: 0, borderWidth: 2 },
        { label: 'ITL', data: pts(s.itl), borderColor: '#bf8700', backgroundColor: '#bf8700', pointRadius: 0, borderWidth: 2 }] },
      options: { plugins: { title: { display: true, text: 'TTFT and ITL percentile spectrum' } },
        scales: { x: { type: 'logarithmic', min: 1, max: last, title: { display: true, text: 'percentile (log scale of 1/(1−p))' },
          afterBuildTicks: function (axis) { axis.ticks = ticks.map(function (t) { return { value: t }; }); },
          ticks: { callback: function (v) { return (100 * (1 - 1 / v)).toFixed(4).replace(/0+$/, '').replace(/\.$/, '') + '%'; } } },
          y: { type: 'logarithmic', title: { display: true, text: 'ms (log scale)' } } } } });
  }
})();
`;
