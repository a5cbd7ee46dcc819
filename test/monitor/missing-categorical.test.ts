import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { REPO_ROOT, collectRun, spawnVigil } from '../helpers/cli.ts';
import { EXPECTED } from '../models/exported-reference.ts';
import { createRng } from '../../fixtures/servers/rng.ts';
import { TOKENS, TOKEN_ENV, call, startTestMonitor } from './helpers.ts';
import { readReferenceSet } from '../../monitor/state/reference-set.ts';

function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); const m = /listening (http:\/\/\S+)/.exec(out); if (m) resolve(m[1] as string); });
    child.once('exit', (code) => reject(new Error(`monitor exited with ${code} before listening`)));
  });
}

const COLORS = ['red', 'green', 'blue', 'amber'];

/** CSV reference: x (numeric, some empty cells), color (strings: categorical), y (numeric). */
function writeCsv(dir: string, rows: number): string {
  const rng = createRng(7);
  const lines = ['x,color,y'];
  for (let i = 0; i < rows; i++) lines.push(`${i % 25 === 0 ? '' : rng.normal().toFixed(4)},${COLORS[Math.floor(rng.next() * 4)]},${rng.normal().toFixed(4)}`);
  const file = join(dir, 'reference.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

test('reference reader: empty CSV cells are missing (NaN), a string column is categorical with a sorted vocabulary; config features declares a numeric-looking column categorical', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mc-'));
  const ref = readReferenceSet(writeCsv(dir, 100));
  assert.deepEqual(ref.vocabularies, { color: ['amber', 'blue', 'green', 'red'] });
  assert.ok(Number.isNaN(ref.inputs.data[0]));
  assert.ok([0, 1, 2, 3].includes(ref.inputs.data[1] as number));
  const declared = readReferenceSet(join(dir, 'reference.csv'), { y: 'categorical' });
  assert.ok(declared.vocabularies?.y !== undefined && declared.vocabularies.color !== undefined);
  assert.throws(() => readReferenceSet(join(dir, 'reference.csv'), { nope: 'numeric' }), /nope/);
});

test('end to end (a real `vigil monitor serve`): observations with nulls and strings are accepted; /v1/drift shows missing rates, chi-square, PSI and unseen categories; a missing-rate rise decides the family', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mc-'));
  const reference = writeCsv(dir, 600);
  const config = join(dir, 'monitor.json');
  writeFileSync(config, JSON.stringify({ missing: 'test', features: [{ name: 'color', type: 'categorical' }], drift: { online: { enabled: false } } }));
  const child = spawnVigil(['monitor', 'serve', '--config', config, '--reference', reference, '--port', '0', '--window', '300', '--evaluate-every', '300', '--no-gpu', '--no-watch', '--log-level', 'warn'], { env: TOKEN_ENV });
  const done = collectRun(child, 60_000);
  try {
    const url = await listening(child);
    const rng = createRng(99);
    // Half the x values missing (reference: 4 %), a colour the reference never had.
    const inputs = Array.from({ length: 300 }, (_, i) => ({ x: i % 2 === 0 ? null : rng.normal(), color: i % 10 === 0 ? 'violet' : COLORS[i % 4], y: rng.normal() }));
    const posted = await call(`${url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs } });
    assert.equal(posted.status, 200, posted.text);
    let drift: { drift: boolean; family: { decidedBy: { test: string; feature?: string } }; inputs: { missing?: { name: string; referenceRate: number; windowRate: number; pValue: number }[]; categorical?: { name: string; chi2: number; pValue: number; psi: number; unseenCategories: number }[]; mmd: { imputed?: { method: string; features: string[] } } } } | undefined;
    for (let i = 0; i < 200 && !drift; i++) {
      const r = await call(`${url}/v1/drift`, { token: TOKENS.viewer });
      const latest = (r.json as { evaluations: NonNullable<typeof drift>[] }).evaluations.at(-1);
      if (latest) drift = latest;
      else await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(drift, 'no evaluation');
    const x = drift.inputs.missing?.find((m) => m.name === 'x');
    assert.ok(x && Math.abs(x.referenceRate - 24 / 600) < 1e-12 && x.windowRate === 0.5 && x.pValue < 1e-10, JSON.stringify(drift.inputs.missing));
    const color = drift.inputs.categorical?.find((c) => c.name === 'color');
    assert.ok(color && color.unseenCategories === 1 && color.psi > 0 && color.chi2 > 0, JSON.stringify(drift.inputs.categorical));
    assert.deepEqual(drift.inputs.mmd.imputed, { method: 'reference median', features: ['x'] });
    assert.equal(drift.drift, true);
    assert.deepEqual([drift.family.decidedBy.test, drift.family.decidedBy.feature], ['missing', 'x']);
    // A value of the wrong kind is still refused, naming it.
    const bad = await call(`${url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: [{ x: 'oops', color: 'red', y: 1 }] } });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /inputs\[0\]\.x/);
  } finally {
    child.kill('SIGTERM');
    await done.catch(() => undefined);
  }
});

test('the two-input numeric + categorical pipeline model (pipeline-mixed.onnx) is fed a reference with a string column: the city values reach the model as they came, unseen ones too; parity ok against the independent expected outputs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mc-'));
  const rng = createRng(5);
  const cities = ['north', 'south', 'east', 'west'];
  const row = (i: number): { age: number; income: number; city: string } => ({ age: 40 + 10 * rng.normal(), income: 3 + rng.normal(), city: cities[i % 4] as string });
  const reference = join(dir, 'reference.jsonl');
  writeFileSync(reference, Array.from({ length: 200 }, (_, i) => JSON.stringify(row(i))).join('\n') + '\n');
  const svc = await startTestMonitor({ reference, model: join(REPO_ROOT, 'fixtures/models/pipeline-mixed.onnx'), window: 100, evaluateEvery: 100_000, minSamples: 10, drift: { online: { enabled: false } } });
  try {
    const rows = Array.from({ length: 40 }, (_, i) => (i === 3 ? { ...row(i), city: 'atlantis' } : row(i)));
    const expect = EXPECTED['pipeline-mixed.onnx'] as (x: (number | string)[]) => { scores: readonly number[] };
    const outputs = rows.map((r) => [...expect([r.age, r.income, r.city]).scores]);
    const posted = await call(`${svc.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs: rows, outputs } });
    assert.equal(posted.status, 200, posted.text);
    const e = await svc.engine.evaluate();
    assert.ok(e?.parity, 'no parity');
    assert.ok(e.parity.maxAbsDiff <= 1e-4 && !e.parity.degraded, JSON.stringify(e.parity));
    assert.ok(e.outputs, 'an outputs-drift stream');
    assert.equal(e.inputs.categorical?.[0]?.name, 'city');
    assert.equal(e.inputs.categorical?.[0]?.unseenCategories, 1);
  } finally {
    await svc.close();
  }
});

test('--state-dir round-trips a window with missing values and category codes, and the reference vocabulary (snapshot and journal)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mc-state-'));
  const reference = writeCsv(mkdtempSync(join(tmpdir(), 'vigil-mc-')), 100);
  const opts = { reference, window: 50, evaluateEvery: 100_000, minSamples: 10, stateDir: dir, drift: { online: { enabled: false } } };
  const a = await startTestMonitor(opts);
  const inputs = Array.from({ length: 30 }, (_, i) => ({ x: i % 3 === 0 ? null : i / 10, color: COLORS[i % 4], y: -i / 7 }));
  assert.equal((await call(`${a.url}/v1/observations`, { method: 'POST', token: TOKENS.ingest, body: { inputs } })).status, 200);
  assert.ok(await a.engine.evaluate());
  const before = a.engine.exportState();
  await a.close();
  const b = await startTestMonitor(opts);
  try {
    const after = b.engine.exportState();
    assert.deepEqual(after, before);
    assert.deepEqual(after.reference.vocabularies, { color: ['amber', 'blue', 'green', 'red'] });
    assert.equal([...after.inputs.data].filter((v) => Number.isNaN(v)).length, 10);
  } finally {
    await b.close();
  }
});
