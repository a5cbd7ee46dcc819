import type { ModelInspection } from './inspect.ts';

/** The inspection as the terminal shows it. */
export function formatInspection(r: ModelInspection): string {
  const lines = [
    `model      ${r.path}`,
    `sha256     ${r.sha256}`,
    `producer   ${r.producer || '(none)'} · IR ${r.irVersion} · opsets ${r.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}`,
    '',
    'inputs',
    ...table(r.inputs.map((i) => [i.name, i.type, (i.fed ? 'fed' : 'not fed') + (i.fed && i.type.startsWith('tensor(string)') ? ', categorical (category values)' : i.fed && i.type.startsWith('tensor(int64)') ? ', whole numbers' : '')])),
    '',
    'outputs',
    ...table(r.outputs.map((o) => [o.name, o.type, o.role + (o.readAs && o.readAs !== o.type ? `, read as ${o.readAs}` : '') + (o.classLabels ? `, classes ${o.classLabels.join(', ')}` : '') + (o.note ? ` (${o.note})` : '')])),
    '',
    'adaptations',
    ...(r.adaptations.length === 0 ? ['  none: the model is run as written'] : r.adaptations.map((a) => `  ZipMap ${a.output} → Identity(${a.from}): float32 [N, ${a.classLabels.length}], in memory (the file and its SHA-256 are unchanged)`)),
  ];
  if (r.featureMapping) {
    lines.push('', 'feature mapping', `  ${r.featureMapping.rule}`);
    for (const m of r.featureMapping.inputs ?? []) lines.push(`  ${m.input} (${m.elemType}) ← ${m.features.join(', ')}`);
    if (r.featureMapping.unused.length > 0) lines.push(`  drift only (no input takes them): ${r.featureMapping.unused.join(', ')}`);
  }
  lines.push('', r.usable ? 'usable: yes' : `usable: no — error[${r.problem?.code}] ${r.problem?.message}`);
  return `${lines.join('\n')}\n`;
}

function table(rows: readonly string[][]): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, j) => Math.max(w[j] ?? 0, cell.length)), []);
  return rows.map((row) => `  ${row.map((cell, j) => (j + 1 < row.length ? cell.padEnd(widths[j] ?? 0) : cell)).join('  ')}`);
}
