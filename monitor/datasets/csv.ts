import { driftErrors } from '../drift/errors.ts';
import type { Cell, Table } from './table.ts';

/**
 * CSV with a header line, RFC 4180: fields in double quotes may hold commas, `""` for a quote and
 * line breaks; records end with LF or CRLF; a UTF-8 byte-order mark is skipped. Cells that parse as
 * finite numbers become numbers, empty cells null (a missing value), the rest strings.
 * Errors name `file:line`: a duplicate or empty column name in the header, a record with more or
 * fewer fields than the header (ragged), an unterminated quoted field.
 */
export function parseCsv(text: string, file: string): Table {
  let header: string[] | undefined;
  const rows: Cell[][] = [];
  const lineNumbers: number[] = [];
  for (const { fields, line } of csvRecords(stripBom(text), file)) {
    if (fields.length === 1 && (fields[0] as string).trim() === '') continue; // blank line
    if (!header) {
      header = checkHeader(fields.map((f) => f.trim()), file, line);
      continue;
    }
    if (fields.length !== header.length) {
      throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line, reason: `${fields.length} fields, but the header has ${header.length}` });
    }
    rows.push(fields.map(toCell));
    lineNumbers.push(line);
  }
  if (!header) throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line: 1, reason: 'empty file: a CSV needs a header line' });
  return { file, columns: header, rows, lines: lineNumbers };
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function checkHeader(names: string[], file: string, line: number): string[] {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '' && names.length > 1) throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line, reason: `column ${i + 1} of the header has no name` });
    const first = seen.get(name);
    if (first !== undefined) throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line, reason: `duplicate column name ${JSON.stringify(name)} (columns ${first + 1} and ${i + 1}): every column needs its own name` });
    seen.set(name, i);
  });
  return names;
}

/** The records of a CSV text with the (1-based) line each starts on. */
function* csvRecords(text: string, file: string): Generator<{ fields: string[]; line: number }> {
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line: start, reason: 'unterminated quoted field' });
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line, reason: 'unexpected character after a closing quote (a quote inside a quoted field is written "")' });
        }
      } else {
        let j = i;
        while (j < n && text[j] !== ',' && text[j] !== '\n') j++;
        field = text.slice(i, j);
        if (text[j] === '\n' && field.endsWith('\r')) field = field.slice(0, -1);
        i = j;
      }
      fields.push(field);
      if (text[i] === ',') { i++; continue; }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') { i++; line++; }
      break;
    }
    yield { fields, line: start };
  }
}

function toCell(field: string): Cell {
  const t = field.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : field;
}
