import { readFileSync } from 'node:fs';
import { driftErrors } from '../drift/errors.ts';
import { parseCsv } from './csv.ts';
import { parseJsonl } from './jsonl.ts';
import type { Table } from './table.ts';

/** Reads a dataset file: `.csv` as CSV with a header, anything else as JSONL. */
export function readTable(file: string): Table {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw driftErrors.VIGIL_DRIFT_BAD_FILE({ file, line: 0, reason: `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
  return /\.csv$/i.test(file) ? parseCsv(text, file) : parseJsonl(text, file);
}
