import type { DriftResult } from '../drift/drift-test.ts';

/** The human summary printed by `vigil drift test` without --json. */
export function formatDriftSummary(r: DriftResult): string {
  const lines: string[] = [];
  lines.push(`drift test: ${r.nReference} reference rows, ${r.nCurrent} current rows, alpha ${r.alpha}, KS correction ${r.ks.correction}`);
  if (r.ks.features.length > 0) {
    const rows = r.ks.features.map((f) => [f.name, 'ks', fmt(f.statistic), fmtP(f.pValue), fmtP(f.adjustedPValue), f.method, fmt(f.psi), f.drift ? 'DRIFT' : 'ok']);
    lines.push('', ...table(['feature', 'test', 'statistic', 'p-value', 'adjusted p', 'method', 'psi', 'result'], rows));
  }
  if (r.categorical.length > 0) {
    const rows = r.categorical.map((c) => [c.name, `chi2 (dof ${c.dof})`, fmt(c.statistic), fmtP(c.pValue), fmt(c.psi), c.drift ? 'DRIFT' : 'ok']);
    lines.push('', ...table(['column', 'test', 'statistic', 'p-value', 'psi', 'result'], rows));
  }
  if (r.mmd) {
    const m = r.mmd;
    if (m.aggregate === 'minp' && m.bandwidths) {
      lines.push('', `MMD² min-p over ${m.bandwidths.length} bandwidths, p-value ${fmtP(m.pValue)} from ${m.permutations} permutations (calibrated for the choice): ${m.detected ? 'DRIFT' : 'ok'}`);
      lines.push(...table(['sigma', 'MMD²', 'threshold at alpha', 'own p-value'], m.bandwidths.map((b) => [fmt(b.sigma), fmt(b.mmd2), fmt(b.threshold), fmtP(b.pValue)])));
    } else {
      lines.push('', `MMD² ${fmt(m.mmd2)} (threshold at alpha ${fmt(m.threshold)}), p-value ${fmtP(m.pValue)} from ${m.permutations} permutations, sigma ${m.sigma.map(fmt).join(', ')}: ${m.detected ? 'DRIFT' : 'ok'}`);
    }
  }
  lines.push('', `compute time: ks ${r.timingsMs.ks.toFixed(1)} ms, mmd ${r.timingsMs.mmd.toFixed(1)} ms, total ${r.timingsMs.total.toFixed(1)} ms`);
  lines.push(r.drift ? 'result: DRIFT detected (exit code 99)' : 'result: no drift detected');
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), ...rows.map(line)];
}

export function fmt(v: number): string {
  return v === 0 ? '0' : Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toPrecision(4);
}

export function fmtP(p: number): string {
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}
