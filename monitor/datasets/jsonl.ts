import { driftErrors } from '../drift/errors.ts';
import type { Cell, Table } from './table.ts';
import { stripBom } from './csv.ts';

/**
 * JSONL, one sample per line: {"features": number[]} or a bare array (columns f0, f1, ...), or a
 * flat object {"age": 31, "country": "de"} (columns = the keys of the first object; later lines
 * must have the same keys). `null` is a missing value. Blank lines and a UTF-8 BOM are skipped;
 * CRLF line ends are accepted.
 */
export function parseJsonl(text: string, file: string): Table {
  const rows: Cell[][] = [];
  const lines: number[] = [];
  let columns: string[] | undefined;
  let arrayForm = false;
  stripBom(text).split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const lineNo = index + 1;
    const bad = (reason: string): never => { throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line: lineNo, reason }); };
    let value: unknown;
    try { value = JSON.parse(line); } catch (err) { bad(`not valid JSON: ${(err as Error).message}`); }
    if (Array.isArray(value)) value = { features: value };
    if (typeof value !== 'object' || value === null) bad('each line must be a JSON object or array');
    const obj = value as Record<string, unknown>;
    if (columns === undefined) {
      arrayForm = Array.isArray(obj.features);
      columns = arrayForm ? (obj.features as unknown[]).map((_, i) => `f${i}`) : Object.keys(obj);
      if (columns.length === 0) bad('no features on the first line');
    }
    let cells: unknown[];
    if (arrayForm) {
      if (!Array.isArray(obj.features)) bad('expected {"features": [...]} like the first line');
      cells = obj.features as unknown[];
      if (cells.length !== columns.length) bad(`${cells.length} features, but the first line has ${columns.length}`);
    } else {
      const missing = columns.filter((c) => !(c in obj));
      if (missing.length > 0) bad(`missing key(s) ${missing.join(', ')} present on the first line`);
      cells = columns.map((c) => obj[c]);
    }
    rows.push(cells.map((c, i) => toCell(c, () => bad(`value of ${(columns as string[])[i]} must be a number, a string or null`))));
    lines.push(lineNo);
  });
  return { file, columns: columns ?? [], rows, lines };
}

function toCell(value: unknown, fail: () => never): Cell {
  if (value === null || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  return fail();
}
