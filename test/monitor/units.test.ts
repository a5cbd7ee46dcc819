import { test } from 'node:test';
import { WindowEvaluator } from '../../monitor/evaluation/evaluate.ts';
import { monitorFlagsToConfig } from '../../cli/monitor.ts';
import { createMmdTest } from '../../monitor/drift/index.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RingFlags, RingWindow } from '../../monitor/state/window.ts';
import { parseObservations } from '../../monitor/protocols/json.ts';
import { createTokenStore, loadTokens, bearerToken } from '../../monitor/http/auth.ts';
import { parseMonitorConfig, resolveMonitorConfig } from '../../monitor/config.ts';
import { computeParity } from '../../monitor/evaluation/parity.ts';
import { readReferenceSet } from '../../monitor/state/reference-set.ts';
import { isVigilError } from '../../common/errors.ts';

function codeOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (err) { return isVigilError(err) ? err.code : `not coded: ${String(err)}`; }
  return undefined;
}

test('RingWindow keeps the last N rows oldest-first, against a plain array model', () => {
  const w = new RingWindow(5, 2);
  const model: number[][] = [];
  for (let i = 0; i < 13; i++) {
    w.push([i, -i]);
    model.push([i, -i]);
    const expected = model.slice(-5).flat();
    const snap = w.snapshot();
    assert.deepEqual([...snap.data], expected);
    assert.equal(snap.rows, Math.min(i + 1, 5));
  }
  assert.equal(w.pushed, 13);
  w.clear();
  assert.equal(w.snapshot().rows, 0);
});

test('RingFlags stays in step with RingWindow', () => {
  const f = new RingFlags(3);
  const model: number[] = [];
  for (let i = 0; i < 7; i++) {
    f.push(i % 3 === 0);
    model.push(i % 3 === 0 ? 1 : 0);
    assert.deepEqual([...f.snapshot()], model.slice(-3));
  }
});

const shape = { features: ['a', 'b', 'c'], outputDim: 2 };

test('parseObservations accepts arrays and feature-keyed objects', () => {
  const obs = parseObservations({ inputs: [[1, 2, 3], { c: 6, a: 4, b: 5 }], outputs: [[0.1, 0.9], [1, 0]], ids: ['x', 'y'] }, shape);
  assert.deepEqual([...obs.inputs.data], [1, 2, 3, 4, 5, 6]);
  assert.equal(obs.inputs.rows, 2);
  assert.deepEqual([...(obs.outputs?.data ?? [])], [0.1, 0.9, 1, 0]);
});

test('parseObservations names each problem with a code (table)', () => {
  const cases: [unknown, string][] = [
    [null, 'VIGIL_MONITOR_BAD_BODY'],
    [[1, 2], 'VIGIL_MONITOR_BAD_BODY'],
    [{}, 'VIGIL_MONITOR_BAD_BODY'],
    [{ inputs: [] }, 'VIGIL_MONITOR_BAD_BODY'],
    [{ inputs: [[1, 2]] }, 'VIGIL_MONITOR_WRONG_SHAPE'],
    [{ inputs: [[1, 2, 3, 4]] }, 'VIGIL_MONITOR_WRONG_SHAPE'],
    [{ inputs: [[1, 2, 'NaN']] }, 'VIGIL_MONITOR_NON_FINITE'],
    [{ inputs: [[1, 2, '-Infinity']] }, 'VIGIL_MONITOR_NON_FINITE'],
    [{ inputs: [[1, 2, Infinity]] }, 'VIGIL_MONITOR_NON_FINITE'],
    [{ inputs: [[1, 2, '3']] }, 'VIGIL_MONITOR_BAD_BODY'],
    [{ inputs: [[1, 2, null]] }, 'VIGIL_MONITOR_BAD_BODY'],
    [{ inputs: [{ a: 1, b: 2, c: 3, d: 4 }] }, 'VIGIL_MONITOR_UNKNOWN_FEATURE'],
    [{ inputs: [{ a: 1, b: 2 }] }, 'VIGIL_MONITOR_MISSING_FEATURE'],
    [{ inputs: [[1, 2, 3]], extra: 1 }, 'VIGIL_MONITOR_UNKNOWN_FIELD'],
    [{ inputs: [[1, 2, 3]], outputs: [[1, 2], [3, 4]] }, 'VIGIL_MONITOR_ROW_COUNT_MISMATCH'],
    [{ inputs: [[1, 2, 3]], outputs: [[1]] }, 'VIGIL_MONITOR_WRONG_SHAPE'],
    [{ inputs: [[1, 2, 3]], ids: ['a', 'b'] }, 'VIGIL_MONITOR_ROW_COUNT_MISMATCH'],
    [{ inputs: [[1, 2, 3]], ids: [1] }, 'VIGIL_MONITOR_BAD_BODY'],
    [{ inputs: [[[1], 2, 3]] }, 'VIGIL_MONITOR_BAD_BODY'],
  ];
  for (const [body, code] of cases) assert.equal(codeOf(() => parseObservations(body, shape)), code, JSON.stringify(body));
  assert.equal(codeOf(() => parseObservations({ inputs: [[1, 2, 3]], outputs: [[1, 2]] }, { features: ['a', 'b', 'c'], outputDim: undefined })), 'VIGIL_MONITOR_BAD_BODY');
});

test('token store: roles by token, env lists, bearer parsing', () => {
  const store = loadTokens({ VIGIL_VIEWER_TOKEN: 'view-one, view-two', VIGIL_ADMIN_TOKEN: 'admin-token' });
  assert.equal(store.size, 3);
  assert.equal(store.roleOf('view-two'), 'viewer');
  assert.equal(store.roleOf('admin-token'), 'admin');
  assert.equal(store.roleOf('admin-toke'), undefined);
  assert.equal(store.roleOf(''), undefined);
  assert.equal(createTokenStore([{ token: 'same-token', role: 'viewer' }, { token: 'same-token', role: 'ingest' }]).roleOf('same-token'), 'ingest');
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('bearer   abc '), 'abc');
  assert.equal(bearerToken('Basic abc'), undefined);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tokens-'));
  writeFileSync(join(dir, 't.yaml'), '- { token: ingest-token-1, role: ingest }\n');
  assert.equal(loadTokens({}, join(dir, 't.yaml')).roleOf('ingest-token-1'), 'ingest');
  writeFileSync(join(dir, 'bad.yaml'), '- { token: secret-value-xyz, role: root }\n');
  let message = '';
  try { loadTokens({}, join(dir, 'bad.yaml')); } catch (err) { message = (err as Error).message; assert.equal((err as { code?: string }).code, 'VIGIL_MONITOR_BAD_TOKENS_FILE'); }
  assert.ok(message.length > 0 && !message.includes('secret-value-xyz'), 'the error must not echo the token');
});

test('config: defaults, durations and sizes, unknown keys rejected, flags override the file', () => {
  const cfg = parseMonitorConfig({ reference: 'r.jsonl', evaluateInterval: '2s', bodyLimit: '64KiB', model: 'models/clf.onnx' });
  assert.equal(cfg.evaluateInterval, 2000);
  assert.equal(cfg.bodyLimit, 65536);
  assert.equal(cfg.window, 500);
  assert.equal(cfg.modelLabel, 'clf');
  assert.equal(cfg.proxy.path, '/predict');
  assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.drift));
  assert.equal(codeOf(() => parseMonitorConfig({ reference: 'r', windw: 5 })), 'VIGIL_CONFIG_INVALID');
  assert.equal(codeOf(() => parseMonitorConfig({ reference: 'r', evaluateInterval: 'soon' })), 'VIGIL_CONFIG_INVALID');
  assert.equal(codeOf(() => parseMonitorConfig({ reference: 'r', modelSha256: 'abc' })), 'VIGIL_CONFIG_INVALID');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mcfg-'));
  writeFileSync(join(dir, 'monitor.yaml'), 'reference: ref.jsonl\nwindow: 200\nevaluateInterval: 5s\ndrift: { alpha: 0.01, permutations: 50 }\n');
  const merged = resolveMonitorConfig(join(dir, 'monitor.yaml'), { window: 300, drift: { seed: 7 } });
  assert.equal(merged.window, 300);
  assert.equal(merged.evaluateInterval, 5000);
  assert.deepEqual({ ...merged.drift }, { alpha: 0.01, permutations: 50, seed: 7, correction: 'bonferroni', aggregate: 'mean', mmdMaxSamples: 5000, family: 'minp', online: { enabled: true, ert: 10_000, window: 100, step: 50, simulations: 200 } });
  // --ert overrides only the ERT of the file's online block (flags merge at any depth).
  writeFileSync(join(dir, 'online.yaml'), 'reference: ref.jsonl\ndrift: { online: { window: 80, step: 40 } }\n');
  const online = resolveMonitorConfig(join(dir, 'online.yaml'), monitorFlagsToConfig({ ert: '5000', family: 'holm' }));
  assert.deepEqual({ ...online.drift.online }, { enabled: true, ert: 5000, window: 80, step: 40, simulations: 200 });
  assert.equal(online.drift.family, 'holm');
  assert.equal(codeOf(() => parseMonitorConfig({ reference: 'r', drift: { online: { ert: 50, window: 100 } } })), 'VIGIL_CONFIG_INVALID');
  assert.equal(codeOf(() => parseMonitorConfig({ reference: 'r', drift: { family: 'bonferroni' } })), 'VIGIL_CONFIG_INVALID');
  const bands = parseMonitorConfig({ reference: 'r', drift: { sigmaScale: [0.5, 1, 2], aggregate: 'minp' } });
  assert.deepEqual([bands.drift.sigmaScale, bands.drift.aggregate], [[0.5, 1, 2], 'minp']);
  assert.equal(codeOf(() => parseMonitorConfig({ reference: 'r', drift: { sigma: 1, sigmaScale: [1] } })), 'VIGIL_CONFIG_INVALID');
  assert.equal(codeOf(() => parseMonitorConfig({ reference: 'r', drift: { aggregate: 'max' } })), 'VIGIL_CONFIG_INVALID');
  // --sigma on the command line replaces the file's bandwidth, whichever form either uses.
  writeFileSync(join(dir, 'bands.yaml'), 'reference: ref.jsonl\ndrift: { sigmaScale: [0.5, 1, 2], aggregate: minp }\n');
  const absolute = resolveMonitorConfig(join(dir, 'bands.yaml'), monitorFlagsToConfig({ sigma: '2' }));
  assert.deepEqual([absolute.drift.sigma, absolute.drift.sigmaScale ?? null, absolute.drift.aggregate], [[2], null, 'minp']);
  writeFileSync(join(dir, 'sigma.yaml'), 'reference: ref.jsonl\ndrift: { sigma: 3 }\n');
  const relative = resolveMonitorConfig(join(dir, 'sigma.yaml'), monitorFlagsToConfig({ sigma: '0.5x,1x', mmdAggregate: 'minp' }));
  assert.deepEqual([relative.drift.sigma ?? null, relative.drift.sigmaScale, relative.drift.aggregate], [null, [0.5, 1], 'minp']);
  assert.throws(() => monitorFlagsToConfig({ sigma: '1,2x' }), { code: 'VIGIL_DRIFT_BAD_OPTION', message: /--sigma/ });
});

test('the worker-side evaluator honours sigmaScale and min-p: the same result as the drift engine called directly', () => {
  const ref = { data: Float64Array.from({ length: 120 * 3 }, (_, i) => Math.sin(i * 12.9898) * 2), rows: 120, cols: 3 };
  const cur = { data: Float64Array.from({ length: 80 * 3 }, (_, i) => Math.sin(i * 78.233) * 2 + (i % 3 === 0 ? 0.8 : 0)), rows: 80, cols: 3 };
  const settings = { alpha: 0.05, correction: 'bonferroni' as const, permutations: 60, seed: 4, sigmaScale: [0.5, 1, 2], aggregate: 'minp' as const, parityTolerance: 1e-4 };
  const evaluator = new WindowEvaluator({ type: 'reference', features: ['a', 'b', 'c'], outputNames: [], inputs: ref, settings });
  const got = evaluator.evaluate({ type: 'evaluate', id: 1, seq: 1, inputs: cur });
  const direct = createMmdTest(ref, { sigmaScale: [0.5, 1, 2], aggregate: 'minp', permutations: 60, seed: 4, alpha: 0.05 }).test(cur);
  assert.equal(got.inputs.mmd.sigma.length, 3);
  assert.deepEqual(got.inputs.mmd.sigma, direct.sigma);
  assert.equal(got.inputs.mmd.pValue, direct.pValue);
  assert.equal(got.inputs.ks.features.length, 3);
});

test('parity: max/mean abs diff and argmax agreement over masked rows, computed by hand', () => {
  const deployed = { data: Float64Array.from([0.1, 0.9, 0.6, 0.4, 5, 5]), rows: 3, cols: 2 };
  const reference = { data: Float64Array.from([0.2, 0.8, 0.3, 0.7, 0, 0]), rows: 3, cols: 2 };
  const p = computeParity(deployed, reference, Uint8Array.from([1, 1, 0]), 1e-4);
  // Row 0: diffs 0.1, 0.1, same argmax; row 1: diffs 0.3, 0.3, argmax 0 vs 1. Row 2 masked out.
  assert.equal(p?.samples, 2);
  assert.ok(Math.abs((p?.maxAbsDiff ?? 0) - 0.3) < 1e-12);
  assert.ok(Math.abs((p?.meanAbsDiff ?? 0) - 0.2) < 1e-12);
  assert.equal(p?.agreementRatio, 0.5);
  assert.equal(p?.degraded, true);
  assert.equal(computeParity(deployed, reference, Uint8Array.from([0, 0, 0]), 1e-4), undefined);
});

test('reference sets: JSONL of features / arrays / objects and CSV read to the same matrix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ref-'));
  const rows = Array.from({ length: 12 }, (_, i) => [i, i * 0.5]);
  writeFileSync(join(dir, 'a.jsonl'), rows.map((r) => JSON.stringify({ features: r })).join('\n'));
  writeFileSync(join(dir, 'b.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  writeFileSync(join(dir, 'c.jsonl'), rows.map((r) => JSON.stringify({ x: r[0], y: r[1] })).join('\n'));
  writeFileSync(join(dir, 'd.csv'), `x,y\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  const expected = rows.flat();
  for (const f of ['a.jsonl', 'b.jsonl', 'c.jsonl', 'd.csv']) assert.deepEqual([...readReferenceSet(join(dir, f)).inputs.data], expected, f);
  assert.deepEqual(readReferenceSet(join(dir, 'c.jsonl')).features, ['x', 'y']);
  writeFileSync(join(dir, 'bad.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n[1, "x"]\n`);
  // A string makes its column categorical (issue 11); declared numeric (config features), it is refused.
  const mixed = readReferenceSet(join(dir, 'bad.jsonl'));
  const second = mixed.features[1] as string;
  assert.ok(mixed.vocabularies?.[second]?.includes('x'));
  assert.equal(codeOf(() => readReferenceSet(join(dir, 'bad.jsonl'), { [second]: 'numeric' })), 'VIGIL_MONITOR_REFERENCE_INVALID');
  assert.equal(codeOf(() => readReferenceSet(join(dir, 'missing.jsonl'))), 'VIGIL_MONITOR_REFERENCE_UNREADABLE');
});
