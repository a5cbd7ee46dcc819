import type { Comparison, ComparisonRow, RegressionCheck } from '../compare.ts';

/** The side-by-side table `vigil load compare` prints: values with units, change with ▲/▼ and verdict. */
export function formatComparison(c: Comparison, names: { baseline: string; current: string }): string {
  const header = ['metric', 'baseline', 'current', 'change', ''];
  const body = c.rows.map((r) => [r.label, value(r, r.baseline), value(r, r.current), change(r), r.verdict === 'same' || r.verdict === 'n/a' ? '' : r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ').trimEnd();
  const out = [`baseline: ${names.baseline}`, `current:  ${names.current}`, '', line(header), ...body.map(line)];
  if (c.checks.length) {
    out.push('', 'regression checks:');
    for (const ch of c.checks) out.push(`  ${ch.ok ? '✓' : '✗'} ${ch.description}: ${observed(ch)}${ch.ok ? '' : '  REGRESSION'}`);
    out.push('', c.regressed ? `${c.checks.filter((ch) => !ch.ok).length} of ${c.checks.length} checks failed` : `all ${c.checks.length} checks passed`);
  }
  return `${out.join('\n')}\n`;
}

function value(r: ComparisonRow, v: number | null): string {
  if (v === null) return 'n/a';
  if (r.unit === 'req/s' || r.unit === 'tokens/s') return `${v.toFixed(1)} ${r.unit}`;
  if (r.unit === '%') return `${v.toFixed(2)} %`;
  return `${v.toFixed(2)} ms`;
}

function change(r: ComparisonRow): string {
  if (r.absoluteChange === null) return 'n/a';
  const mark = r.absoluteChange > 0 ? '▲' : r.absoluteChange < 0 ? '▼' : '=';
  if (r.unit === '%') return `${mark} ${signed(r.absoluteChange, 2)} pts`;
  if (r.relativeChange === null) return `${mark} ${signed(r.absoluteChange, 2)} ${r.unit}`;
  return `${mark} ${signed(r.relativeChange * 100, 1)} %`;
}

function observed(ch: RegressionCheck): string {
  if (ch.observed === null) return 'unknown';
  if (!Number.isFinite(ch.observed)) return 'from 0 (unbounded)';
  if (ch.metric === 'errorRate') return `${signed(ch.observed * 100, 2)} points`;
  if (ch.metric === 'qps' || ch.metric === 'outputTokensPerS') return `${Math.abs(ch.observed * 100).toFixed(1)}% ${ch.observed >= 0 ? 'lower' : 'higher'}`;
  return `${signed(ch.observed * 100, 1)}%`;
}

function signed(v: number, digits: number): string {
  return `${v > 0 ? '+' : ''}${v.toFixed(digits)}`;
}
