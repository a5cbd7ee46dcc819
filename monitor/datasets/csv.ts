import { driftErrors } from '../drift/errors.ts';
import type { Cell, Table } from './table.ts';

/**
 * CSV with a header line (RFC 4180 quoting: "a,b" and "" for a quote; no line breaks inside
 * fields). Cells that parse as finite numbers become numbers, empty cells null, the rest strings.
 */
export function parseCsv(text: string, file: string): Table {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  const rows: Cell[][] = [];
  const lineNumbers: number[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const fields = splitCsvLine(line, file, index + 1);
    if (!header) { header = fields.map((f) => f.trim()); return; }
    if (fields.length !== header.length) {
      throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line: index + 1, reason: `${fields.length} fields, but the header has ${header.length}` });
    }
    rows.push(fields.map(toCell));
    lineNumbers.push(index + 1);
  });
  if (!header) throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line: 1, reason: 'empty file: a CSV needs a header line' });
  return { file, columns: header, rows, lines: lineNumbers };
}

function splitCsvLine(line: string, file: string, lineNo: number): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line: lineNo, reason: 'unterminated quoted field' });
        if (line[i] === '"') {
          if (line[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += line[i];
        i++;
      }
      if (i < line.length && line[i] !== ',') throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line: lineNo, reason: `unexpected character after a quoted field at column ${i + 1}` });
    } else {
      const next = line.indexOf(',', i);
      field = next === -1 ? line.slice(i) : line.slice(i, next);
      i = next === -1 ? line.length : next;
    }
    out.push(field);
    if (i >= line.length) return out;
    i++; // the comma
  }
}

function toCell(field: string): Cell {
  const t = field.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : field;
}
