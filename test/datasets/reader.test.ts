import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, parseJsonl } from '../../monitor/datasets/index.ts';
import { readReferenceSet } from '../../monitor/state/reference-set.ts';
import { isVigilError } from '../../common/errors.ts';
import { runVigil } from '../helpers/cli.ts';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try { fn(); } catch (err) { if (isVigilError(err)) return { code: err.code, message: err.message }; throw err; }
  throw new Error('expected a coded error');
}

function tmp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-reader-')), name);
  writeFileSync(file, text);
  return file;
}

test('CSV, RFC 4180: quoted commas, doubled quotes, line breaks inside quotes, CRLF, BOM; empty cells are null', () => {
  const text = '\uFEFF"a, the first","b ""quoted""",c\r\n1,"2",\r\n"x\r\ny",3.5,-1\r\n\r\n"",4,5\r\n';
  const t = parseCsv(text, 'q.csv');
  assert.deepEqual(t.columns, ['a, the first', 'b "quoted"', 'c']);
  assert.deepEqual(t.rows, [[1, 2, null], ['x\r\ny', 3.5, -1], [null, 4, 5]]);
  assert.deepEqual(t.lines, [2, 3, 6], 'a record spanning two lines is numbered by its first; later ones count both');
});

test('CSV errors name file:line: duplicate header, unnamed column, ragged rows, unterminated and stray quotes (table)', () => {
  const cases: [string, RegExp][] = [
    ['a,a\n1,2\n', /^dup\.csv:1: duplicate column name "a" \(columns 1 and 2\)/],
    ['a,,c\n1,2,3\n', /^dup\.csv:1: column 2 of the header has no name/],
    ['a,b\n1,2\n3\n', /^dup\.csv:3: 1 fields, but the header has 2/],
    ['a,b\n1,2\n3,4,5\n', /^dup\.csv:3: 3 fields, but the header has 2/],
    ['a,b\n"1\n2,3\n', /^dup\.csv:2: unterminated quoted field/],
    ['a,b\n"1"x,2\n', /^dup\.csv:2: unexpected character after a closing quote/],
  ];
  for (const [text, message] of cases) {
    const e = errorOf(() => parseCsv(text, 'dup.csv'));
    assert.equal(e.code, 'VIGIL_DRIFT_BAD_FILE', text);
    assert.match(e.message, message, text);
  }
});

test('JSONL: BOM, CRLF, bare arrays as rows, null as a missing value', () => {
  const t = parseJsonl('\uFEFF[1,2]\r\n{"features":[3,null]}\r\n\r\n[5,6]\r\n', 'a.jsonl');
  assert.deepEqual(t.columns, ['f0', 'f1']);
  assert.deepEqual(t.rows, [[1, 2], [3, null], [5, 6]]);
  assert.deepEqual(t.lines, [1, 2, 4]);
});

test('the monitor reads its reference with the same reader: CSV quoting/BOM/CRLF as JSONL; an empty cell is a missing value (NaN); duplicate headers are coded errors with the line', () => {
  const rows = Array.from({ length: 12 }, (_, i) => [i, i * 0.5, -i]);
  const csv = readReferenceSet(tmp('r.csv', `\uFEFF"x",y,"z"\r\n${rows.map((r) => r.map((v) => `"${v}"`).join(',')).join('\r\n')}\r\n`));
  const jsonl = readReferenceSet(tmp('r.jsonl', rows.map((r) => JSON.stringify({ x: r[0], y: r[1], z: r[2] })).join('\n')));
  assert.deepEqual(csv.features, ['x', 'y', 'z']);
  assert.deepEqual(csv.inputs, jsonl.inputs);

  const empty = readReferenceSet(tmp('e.csv', `x,y\n${'1,2\n'.repeat(5)}3,\n${'1,2\n'.repeat(6)}`));
  assert.equal(empty.inputs.rows, 12);
  assert.equal(empty.inputs.data[5 * 2], 3);
  assert.ok(Number.isNaN(empty.inputs.data[5 * 2 + 1]), 'the empty cell of line 7 is missing');
  assert.equal([...empty.inputs.data].filter(Number.isNaN).length, 1);
  const dup = errorOf(() => readReferenceSet(tmp('d.csv', `x,x\n${'1,2\n'.repeat(12)}`)));
  assert.equal(dup.code, 'VIGIL_MONITOR_REFERENCE_INVALID');
  assert.match(dup.message, /d\.csv: line 1: duplicate column name "x"/);
  assert.equal(errorOf(() => readReferenceSet('/nonexistent/ref.csv')).code, 'VIGIL_MONITOR_REFERENCE_UNREADABLE');
});

test('vigil drift test refuses a CSV header "a,a" (it used to test the first column twice and say "no drift")', async () => {
  const lines = (shift: number) => `a,a\n${Array.from({ length: 50 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5 + shift}`).join('\n')}\n`;
  const run = await runVigil(['drift', 'test', '--reference', tmp('ref.csv', lines(0)), '--current', tmp('cur.csv', lines(5))], { timeoutMs: 60_000 });
  assert.equal(run.code, 1, run.stdout);
  assert.match(run.stderr, /error\[VIGIL_DRIFT_BAD_FILE\] \S*ref\.csv:1: duplicate column name "a"/);
});
