import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareOnlineStream } from '../../monitor/drift/online-family.ts';
import { OnlineDetector } from '../../monitor/drift/online.ts';
import { OnlineMirror, type OnlineBatch } from '../../monitor/state/online-mirror.ts';
import type { Matrix } from '../../monitor/state/window.ts';
import { normalMatrix } from '../drift/data.ts';

const names = (d: number): string[] => Array.from({ length: d }, (_, j) => `f${j}`);
const rowsOf = (m: Matrix, from: number, to: number): Matrix => ({ data: m.data.slice(from * m.cols, to * m.cols), rows: to - from, cols: m.cols });
/** The state without the calibration's wall time (the only field that differs between two identical detectors). */
const timeless = (d: OnlineDetector) => ({ ...d.state, calibration: { ...d.state.calibration, durationMs: 0 } });
const SETTINGS = { ert: 400, window: 40, step: 20, simulations: 30, seed: 2 };

function detector(ref: Matrix, outRef: Matrix): OnlineDetector {
  return new OnlineDetector([prepareOnlineStream('inputs', ref, names(3), {}), prepareOnlineStream('outputs', outRef, names(2), {})], SETTINGS);
}

test('online detector: export at any point, import into a fresh detector → every later score and the alarm state are identical', () => {
  const ref = normalMatrix(200, 3, 1);
  const outRef = normalMatrix(200, 2, 2);
  const cur = normalMatrix(330, 3, 9, 1, 0.8); // shifted: alarms are raised
  const curOut = normalMatrix(330, 2, 10);
  for (const cut of [0, 7, 40, 61, 130]) {
    const a = detector(ref, outRef);
    a.push([rowsOf(cur, 0, cut), rowsOf(curOut, 0, cut)]);
    const b = detector(ref, outRef);
    b.importState(structuredClone(a.exportState()));
    assert.deepEqual(timeless(b), timeless(a), `state after import at ${cut}`);
    let at = cut;
    for (const n of [13, 50, 1, 66, 100]) {
      const stepsA = a.push([rowsOf(cur, at, at + n), rowsOf(curOut, at, at + n)]);
      const stepsB = b.push([rowsOf(cur, at, at + n), rowsOf(curOut, at, at + n)]);
      assert.deepEqual(stepsB, stepsA, `cut ${cut}, batch at ${at}`);
      at += n;
    }
    assert.deepEqual(timeless(b), timeless(a));
    assert.ok(a.state.alarms > 0, 'the shifted stream raised alarms (the alarm state is exercised)');
  }
});

test('online detector: an imported state of the wrong shape is refused', () => {
  const a = detector(normalMatrix(200, 3, 1), normalMatrix(200, 2, 2));
  const s = a.exportState();
  assert.throws(() => a.importState({ ...s, rows: [s.rows[0] as Matrix] }), /1 streams; the detector has 2/);
  assert.throws(() => a.importState({ ...s, samples: 5 }), /0×3 rows, expected 5×3/);
});

test('online mirror: follows the worker through answers, resets, a reference change and a restore with queued batches', () => {
  const ref = normalMatrix(200, 3, 1);
  const cur = normalMatrix(400, 3, 5, 1, 0.5);
  const batches: OnlineBatch[] = [];
  for (let at = 0; at < 400; at += 25) batches.push({ inputs: rowsOf(cur, at, at + 25) });
  const det = new OnlineDetector([prepareOnlineStream('inputs', ref, names(3), {})], SETTINGS);
  const m = new OnlineMirror(SETTINGS.window);
  const answer = (b: OnlineBatch) => { m.sent(b); det.push([b.inputs]); m.answered({ enabled: true, ...det.state }); };
  // Before the detector runs: batches answered "calibrating" are dropped; nothing to persist.
  m.sent(batches[0] as OnlineBatch);
  m.answered({ enabled: false, reason: 'calibrating' });
  assert.equal(m.export(), undefined);
  answer(batches[1] as OnlineBatch);
  assert.equal(m.startedNow, true, 'the first enabled answer starts the detector');
  for (const b of batches.slice(2, 6)) answer(b);
  assert.equal(m.startedNow, false);
  assert.deepEqual(m.export()?.rows, det.exportState().rows);
  // A reset, then two batches in flight: they are pending in the export.
  m.resetSent(); det.reset();
  answer(batches[6] as OnlineBatch);
  assert.deepEqual(m.export()?.rows, det.exportState().rows, 'after a reset only the rows since count');
  m.sent(batches[7] as OnlineBatch);
  m.sent(batches[8] as OnlineBatch);
  const inFlight = m.export();
  assert.equal(inFlight?.pending.length, 2);
  // Restore into a fresh detector: state + pending replayed = the uninterrupted one.
  det.push([(batches[7] as OnlineBatch).inputs]);
  det.push([(batches[8] as OnlineBatch).inputs]);
  const restored = new OnlineDetector([prepareOnlineStream('inputs', ref, names(3), {})], SETTINGS);
  const p = inFlight as NonNullable<typeof inFlight>;
  restored.importState({ ...p.report, rows: p.rows });
  for (const q of p.pending) if (q.t === 'batch') restored.push([q.batch.inputs]);
  assert.deepEqual(timeless(restored), timeless(det));
  // The restoring worker queues batches until calibrated: the mirror keeps them pending, then absorbs them.
  const m2 = new OnlineMirror(SETTINGS.window);
  m2.resetSent(); // posted before the restore: superseded
  m2.restored(p);
  for (const q of p.pending) if (q.t === 'batch') m2.sent(q.batch);
  m2.sent(batches[9] as OnlineBatch);
  for (let i = 0; i < 3; i++) m2.answered({ enabled: false, reason: 'calibrating', queued: true });
  assert.equal(m2.export()?.pending.length, 3);
  assert.deepEqual(m2.export()?.report, p.report, 'the restored report stays until the worker answers enabled');
  det.push([(batches[9] as OnlineBatch).inputs]);
  m2.sent(batches[10] as OnlineBatch);
  det.push([(batches[10] as OnlineBatch).inputs]);
  m2.answered({ enabled: true, ...det.state });
  assert.equal(m2.startedNow, false, 'a resumed detector is not a new start');
  assert.deepEqual(m2.export(), { report: { enabled: true, ...det.state }, rows: det.exportState().rows, pending: [] });
  // A new reference: a new detector, nothing to persist until it answers enabled.
  m2.referenceChanged();
  assert.equal(m2.export(), undefined);
});
