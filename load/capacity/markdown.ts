import type { CapacityResult, StepResult } from './types.ts';

const STOP_TEXT: Record<CapacityResult['stopReason'], string> = {
  slo: 'the SLO broke',
  errors: 'the error rate went over the limit',
  saturation: 'the target saturated (achieved < 95 % of offered, or dropped iterations)',
  'max-rate': 'the maximum rate was reached with the SLO still met',
  aborted: 'the run was aborted',
};

/** The capacity report as Markdown: verdict, per-step table (load order), knee and replicas. */
export function renderCapacityMarkdown(r: CapacityResult): string {
  const unit = r.mode === 'rate' ? 'offered (req/s)' : 'connections';
  const llm = r.steps.some((s) => s.stream !== undefined);
  const lines = [
    `# Capacity of ${r.target}`,
    '',
    `SLO: ${r.slo.map((s) => `\`${s}\``).join(', ') || '(none)'}; max error rate ${pct(r.maxErrorRate)}${r.minAttainment !== undefined ? `; at least ${pct(r.minAttainment)} of arrivals within the per-request SLOs (goodput attainment)` : ''}.`,
    '',
    r.maxSustainableQps === null && r.aborted
      ? '**Aborted before a complete step met the SLO.**'
      : r.maxSustainableQps === null
      ? `**No load meets the SLO** (lowest load tried: ${Math.min(...r.steps.map((s) => s.offeredRate))} ${r.mode === 'rate' ? 'req/s' : 'connections'}).`
      : `**Max sustainable throughput: ${r.maxSustainableQps} req/s** (at ${r.maxSustainableOffered} ${unit}).`,
    `Stopped because ${STOP_TEXT[r.stopReason]}.`,
    '',
    `| # | phase | ${unit} | achieved (req/s) | mean (ms) | P50 (ms) | P95 (ms) | P99 (ms) | errors |${llm ? ' TTFT P50 (ms) | TTFT P99 (ms) | TPOT P50 (ms) | tokens/s | goodput (req/s) | attainment |' : ''} verdict |`,
    `| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${llm ? ' ---: | ---: | ---: | ---: | ---: | ---: |' : ''} --- |`,
    ...r.steps.map((s, i) => stepRow(s, i + 1, r, s === firstErrors(r), llm)),
    '',
  ];
  if (r.knee) lines.push(`Knee (Kneedle on P99 vs achieved throughput): ${fmt(r.knee.achievedQps)} req/s at P99 ${fmt(r.knee.latencyMs)} ms (offered ${r.knee.offeredRate}).`, '');
  if (r.replicas) {
    lines.push(r.replicas.count === null
      ? `Replicas for a peak of ${r.replicas.peakQps} req/s: cannot be computed, no load met the SLO.`
      : `Replicas for a peak of ${r.replicas.peakQps} req/s with ${pct(r.replicas.headroom)} headroom: **${r.replicas.count}** ` +
        `(= ceil(${r.replicas.peakQps} × ${1 + r.replicas.headroom} / ${r.maxSustainableQps})).`,
    `Assumption: ${r.replicas.assumption}.`, '');
  }
  if (r.aborted) lines.push('_The run was aborted; the table holds the steps completed so far._', '');
  return lines.join('\n');
}

/** The lowest offered load that saw errors (timeouts, resets, 5xx): the field reports want it marked. */
function firstErrors(r: CapacityResult): StepResult | undefined {
  return [...r.steps].filter((s) => s.errorRate > 0).sort((a, b) => a.offeredRate - b.offeredRate)[0];
}

function stepRow(s: StepResult, n: number, r: CapacityResult, errorsStart: boolean, llm: boolean): string {
  const l = s.latencyMs;
  const verdict = s.aborted ? 'aborted (partial step, not counted)' : s.ok ? 'ok' : `**${s.failures.join(' + ')}**${s.failures.includes('slo') ? ` (${s.slo.filter((x) => !x.ok).map((x) => `${x.expr}: ${fmt(x.value)}`).join(', ')})` : ''}`;
  const best = (r.maxSustainableOffered === s.offeredRate && s.ok ? ' ← max' : '') + (errorsStart ? ' ← errors start' : '');
  const st = s.stream;
  const stream = !llm ? '' : st
    ? ` ${fmt(st.ttftMs.p50)} | ${fmt(st.ttftMs.p99)} | ${fmt(st.tpotMs.p50)} | ${fmt(st.outputTokensPerS)} | ${st.goodputPerS !== undefined ? fmt(st.goodputPerS) : '–'} | ${st.attainment !== undefined ? pct(st.attainment) : '–'} |`
    : ' – | – | – | – | – | – |';
  return `| ${n} | ${s.phase} | ${s.offeredRate} | ${fmt(s.achievedQps)} | ${fmt(l.mean)} | ${fmt(l.p50)} | ${fmt(l.p95)} | ${fmt(l.p99)} | ${pct(s.errorRate)} |${stream} ${verdict}${best} |`;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)) : String(v);
}

function pct(f: number): string {
  return `${Number((f * 100).toFixed(2))} %`;
}
