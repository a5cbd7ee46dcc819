import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runVigil, testOutputDir } from '../helpers/cli.ts';
import { checkPage, launchChromium } from '../helpers/chromium.ts';
import { ksTwoSample } from '../../monitor/drift/index.ts';
import { normalSource } from './data.ts';
import type { DriftResult } from '../../monitor/drift/index.ts';

const dir = testOutputDir('drift-cli');

function normals(count: number, seed: number, shift = 0): number[] {
  const next = normalSource(seed);
  return Array.from({ length: count }, () => Math.round((next() + shift) * 1e6) / 1e6);
}

function writeJsonl(name: string, rows: number, cols: number, seed: number, shiftCol = -1): string {
  const columns = Array.from({ length: cols }, (_, c) => normals(rows, seed * 100 + c, c === shiftCol ? 1 : 0));
  const file = join(dir, name);
  writeFileSync(file, Array.from({ length: rows }, (_, r) => JSON.stringify({ features: columns.map((col) => col[r]) })).join('\n') + '\n');
  return file;
}

function writeCsv(name: string, rows: number, seed: number, shift: number, colors: string[]): string {
  const a = normals(rows, seed, shift);
  const b = normals(rows, seed + 1);
  const file = join(dir, name);
  writeFileSync(file, `height,"weight, kg",color\n${a.map((v, i) => `${v},${b[i]},${colors[i % colors.length]}`).join('\n')}\n`);
  return file;
}

const refJsonl = writeJsonl('ref.jsonl', 200, 3, 1);
const sameJsonl = writeJsonl('same.jsonl', 180, 3, 2);
const driftJsonl = writeJsonl('drift.jsonl', 180, 3, 3, 1);

test('vigil drift test --json: no drift exits 0 and prints vigil.drift.result/v1 with every number', async () => {
  const run = await runVigil(['drift', 'test', '--reference', refJsonl, '--current', sameJsonl, '--json', '--permutations', '50', '--seed', '4']);
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(run.stdout) as DriftResult;
  assert.equal(r.schema, 'vigil.drift.result/v1');
  assert.deepEqual([r.nReference, r.nCurrent, r.alpha, r.drift], [200, 180, 0.05, false]);
  assert.deepEqual(r.ks.features.map((f) => f.name), ['f0', 'f1', 'f2']);
  assert.equal(r.mmd?.permutations, 50);
  assert.ok(r.timingsMs.total > 0);
});

test('vigil drift test --mmd-backend js and onnxruntime give the same MMD result (same permutations)', async () => {
  const args = ['drift', 'test', '--reference', refJsonl, '--current', driftJsonl, '--json', '--permutations', '60', '--seed', '9'];
  const js = await runVigil([...args, '--mmd-backend', 'js']);
  const viaOrt = await runVigil([...args, '--mmd-backend', 'onnxruntime']);
  assert.equal(js.code, 99, js.stderr);
  assert.equal(viaOrt.code, 99, viaOrt.stderr);
  const a = (JSON.parse(js.stdout) as DriftResult).mmd;
  const b = (JSON.parse(viaOrt.stdout) as DriftResult).mmd;
  assert.ok(a && b);
  assert.ok(Math.abs(b.mmd2 - a.mmd2) <= 1e-11 * Math.abs(a.mmd2), `${b.mmd2} vs ${a.mmd2}`);
  assert.equal(b.pValue, a.pValue);
  assert.ok(Math.abs(b.threshold - a.threshold) < 1e-6);
  const bad = await runVigil([...args, '--mmd-backend', 'gpu']);
  assert.match(bad.stderr, /error\[VIGIL_DRIFT_BAD_OPTION\] --mmd-backend/);
});

test('vigil drift test: a shifted feature exits 99; --features by index, --out, --correction fdr', async () => {
  const out = join(dir, 'result.json');
  const run = await runVigil(['drift', 'test', '--reference', refJsonl, '--current', driftJsonl, '--features', '1,2', '--correction', 'fdr', '--out', out]);
  assert.equal(run.code, 99, run.stderr);
  assert.match(run.stdout, /DRIFT detected/);
  const r = JSON.parse(readFileSync(out, 'utf8')) as DriftResult;
  assert.equal(r.ks.correction, 'fdr');
  assert.deepEqual(r.ks.features.map((f) => [f.name, f.drift]), [['f1', true], ['f2', false]]);
  // The CLI's numbers are the engine's on the same columns.
  const ref = readFileSync(refJsonl, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { features: number[] }).features[1] as number);
  const cur = readFileSync(driftJsonl, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { features: number[] }).features[1] as number);
  assert.equal(r.ks.features[0]?.pValue, ksTwoSample(ref, cur).pValue);
});

test('vigil drift test on CSV: quoted header names, features by name and index, categorical column, HTML report renders in Chromium', async (t) => {
  const ref = writeCsv('ref.csv', 300, 10, 0, ['red', 'green', 'blue', 'red']);
  const cur = writeCsv('cur.csv', 250, 20, 0.8, ['red', 'blue', 'blue', 'blue']);
  const html = join(dir, 'drift.html');
  const run = await runVigil(['drift', 'test', '--reference', ref, '--current', cur, '--features', 'height,1', '--categorical', 'color', '--bins', '5', '--html', html, '--json']);
  assert.equal(run.code, 99, run.stderr);
  const r = JSON.parse(run.stdout) as DriftResult;
  assert.deepEqual(r.ks.features.map((f) => f.name), ['height', 'weight, kg']);
  assert.equal(r.categorical[0]?.name, 'color');
  assert.equal(r.categorical[0]?.drift, true);
  const page = readFileSync(html, 'utf8');
  assert.ok(!/<script[^>]+src=/.test(page), 'no external scripts');
  const browser = await launchChromium(t);
  if (!browser) return;
  try {
    const check = await checkPage(browser, pathToFileURL(html).href, join(dir, 'drift.png'));
    assert.deepEqual(check.consoleErrors, []);
    assert.equal(check.canvases.length, 3);
    assert.ok(check.canvases.every((c) => c.nonEmpty), JSON.stringify(check.canvases));
  } finally {
    await browser.close();
  }
});

test('vigil drift test: coded errors with file:line for bad input', async () => {
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"features": [1, 2, 3]}\n{"features": [1, 2, 3]}\n{"features": [1, 2\n');
  const badLine = await runVigil(['drift', 'test', '--reference', refJsonl, '--current', bad]);
  assert.equal(badLine.code, 1);
  assert.match(badLine.stderr, /error\[VIGIL_DRIFT_BAD_FILE\] .*bad\.jsonl:3:/);

  const narrow = join(dir, 'narrow.jsonl');
  writeFileSync(narrow, '{"features": [1, 2]}\n{"features": [3, 4]}\n');
  const shape = await runVigil(['drift', 'test', '--reference', refJsonl, '--current', narrow]);
  assert.match(shape.stderr, /error\[VIGIL_DRIFT_SHAPE_MISMATCH\]/);

  const unknown = await runVigil(['drift', 'test', '--reference', refJsonl, '--current', sameJsonl, '--features', 'nope']);
  assert.match(unknown.stderr, /error\[VIGIL_DRIFT_UNKNOWN_FEATURE\]/);

  const option = await runVigil(['drift', 'test', '--reference', refJsonl, '--current', sameJsonl, '--alpha', '2']);
  assert.match(option.stderr, /error\[VIGIL_DRIFT_BAD_OPTION\] --alpha/);

  const text = join(dir, 'text.csv');
  writeFileSync(text, 'a,b\n1,2\n3,x\n');
  const notNumber = await runVigil(['drift', 'test', '--reference', text, '--current', text]);
  assert.match(notNumber.stderr, /error\[VIGIL_DRIFT_BAD_FILE\] .*text\.csv:3: column b/);
});

test('vigil drift test --sigma 0.5x,1x,2x --mmd-aggregate minp: multiples of the median heuristic, min-p verdict; bad forms are coded errors', async () => {
  const base = ['drift', 'test', '--reference', refJsonl, '--current', driftJsonl, '--json', '--permutations', '40', '--seed', '2'];
  const median = JSON.parse((await runVigil(base)).stdout) as DriftResult;
  const run = await runVigil([...base, '--sigma', '0.5x,1x,2x', '--mmd-aggregate', 'minp']);
  assert.equal(run.code, 99, run.stderr);
  const r = JSON.parse(run.stdout) as DriftResult;
  const s = median.mmd?.sigma[0] as number;
  assert.deepEqual(r.mmd?.sigma, [0.5 * s, s, 2 * s]);
  assert.equal(r.mmd?.aggregate, 'minp');
  assert.equal(r.mmd?.bandwidths?.length, 3);
  // The median bandwidth's own p-value is the single-bandwidth run's (same permutations).
  assert.equal(r.mmd?.bandwidths?.[1]?.pValue, median.mmd?.pValue);
  const text = await runVigil([...base.filter((a) => a !== '--json'), '--sigma', '0.5x,1x,2x', '--mmd-aggregate', 'minp']);
  assert.match(text.stdout, /MMD² min-p over 3 bandwidths/);
  for (const [flag, value] of [['--sigma', '1,0.5x'], ['--sigma', '0x'], ['--sigma', 'x'], ['--mmd-aggregate', 'max']] as const) {
    const bad = await runVigil([...base, flag, value]);
    assert.equal(bad.code, 1, `${flag} ${value}`);
    assert.match(bad.stderr, new RegExp(`error\\[VIGIL_DRIFT_BAD_OPTION\\] ${flag}`), `${flag} ${value}: ${bad.stderr}`);
  }
});
