import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, fsync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { monitorErrors } from '../errors.ts';
import type { Evaluation } from '../evaluation/types.ts';
import { decodeFrame, encodeFrame, type Frame } from './frames.ts';
import type { ReferenceSet } from './reference-set.ts';
import type { Matrix } from './window.ts';
import type { OnlineEnabledReport, OnlinePending, OnlinePersisted } from './online-mirror.ts';

/** What must match for a state directory to belong to this monitor. */
export interface StateIdentity {
  features: readonly string[];
  window: number;
  /** A duration window's length (ms); null for a count window. */
  windowDuration: number | null;
  outputDim: number;
  modelSha256: string | null;
  /** The online detector's settings: its persisted state only means something under the same ones. */
  online: { enabled: boolean; ert: number; window: number; step: number; simulations: number; seed: number };
}

/** The engine's durable state: the reference in force, the windows (oldest row first), the history. */
export interface EngineState {
  seq: number;
  reference: ReferenceSet;
  history: Evaluation[];
  inputs: Matrix;
  /** A duration window: each row's observation time (epoch ms), oldest first. */
  times?: Float64Array;
  outputs?: Matrix;
  deployed?: Matrix;
  mask?: Uint8Array;
  /** Models with a label output: per window row 0 (no deployed label), 1 (label differs), 2 (label agrees). */
  labels?: Uint8Array;
  /** The online detector's state; absent when it is off or still calibrating a new reference. */
  online?: OnlinePersisted | undefined;
}

/** A journal record after the snapshot, replayed in order by the engine. */
export type JournalRecord =
  /** `at`: observation time (epoch ms) of the batch's rows, with a duration window. */
  | { t: 'obs'; inputs: Matrix; outputs?: Matrix; deployed?: Matrix; at?: number; labels?: Uint8Array }
  | { t: 'eval'; evaluation: Evaluation }
  | { t: 'ref'; reference: ReferenceSet }
  | { t: 'reset' }
  /** The online detector started absorbing (after start or a reference change): its state then. */
  | { t: 'online'; online: OnlinePersisted };

/** Where the engine reports every change (the journal). */
export interface StateSink {
  record(r: JournalRecord): void;
}

const VERSION = 2;
const SNAPSHOT = 'snapshot.bin';
const JOURNAL = 'journal.bin';

/**
 * `--state-dir`: an append-only journal of every change (observed rows, evaluations, reference
 * replacements, resets) plus a periodic snapshot of the whole state, so a restart resumes the same
 * windows, history and reference. The journal is written on every change and fsynced every
 * `fsyncMs` (so `kill -9` or a power cut lose at most that much); the snapshot is written to a
 * temporary file, fsynced and renamed over the old one (atomic), then the journal is truncated.
 * Records carry a sequence number, so a crash between the rename and the truncation replays nothing twice.
 * Every file starts with a header naming this format and the monitor's identity: a foreign or
 * corrupt file is refused with a coded error, never ignored.
 */
export class StateStore implements StateSink {
  private fd: number;
  private seq = 0;
  private dirty = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private journalStart = 0;

  private constructor(private readonly dir: string, private readonly identity: StateIdentity, private readonly logger: Logger) {
    this.fd = -1;
  }

  /** Reads what the directory holds (snapshot + journal), without changing it. */
  static read(dir: string, identity: StateIdentity): { snapshot: EngineState | undefined; journal: JournalRecord[]; lastSeq: number } {
    let snapshot: EngineState | undefined;
    let lastSeq = 0;
    const snapFile = join(dir, SNAPSHOT);
    if (existsSync(snapFile)) {
      const buf = readFileSync(snapFile);
      const body = checkHeader(buf, snapFile, 'vigil-state-snapshot', identity);
      const d = decodeFrame(buf, body);
      if (d.kind !== 'frame') throw monitorErrors.VIGIL_MONITOR_STATE_CORRUPT({ file: snapFile, offset: body, reason: d.kind === 'corrupt' ? d.reason : 'truncated snapshot' });
      try {
        snapshot = snapshotFromFrame(d.frame, identity);
      } catch (err) {
        throw monitorErrors.VIGIL_MONITOR_STATE_CORRUPT({ file: snapFile, offset: body, reason: (err as Error).message });
      }
      lastSeq = snapshot.seq;
    }
    const journal: JournalRecord[] = [];
    const jFile = join(dir, JOURNAL);
    if (existsSync(jFile)) {
      const buf = readFileSync(jFile);
      let at = checkHeader(buf, jFile, 'vigil-state-journal', identity);
      for (;;) {
        const d = decodeFrame(buf, at);
        if (d.kind === 'end' || d.kind === 'torn') break; // a torn tail: the write a crash cut short
        if (d.kind === 'corrupt') {
          // A bad last record is a torn write too; one followed by more records is corruption.
          if (buf.length - at - 8 <= buf.readUInt32LE(at)) break;
          throw monitorErrors.VIGIL_MONITOR_STATE_CORRUPT({ file: jFile, offset: at, reason: d.reason });
        }
        const recordAt = at;
        at = d.next;
        const seq = Number(d.frame.header.seq);
        if (seq <= lastSeq) continue;
        lastSeq = seq;
        try {
          journal.push(recordFromFrame(d.frame, identity));
        } catch (err) {
          throw monitorErrors.VIGIL_MONITOR_STATE_CORRUPT({ file: jFile, offset: recordAt, reason: (err as Error).message });
        }
      }
    }
    return { snapshot, journal, lastSeq };
  }

  /**
   * Opens the directory for writing after the engine has restored from it: writes a fresh snapshot
   * of `state()` and starts an empty journal, then keeps both up to date.
   */
  static open(dir: string, identity: StateIdentity, opts: { lastSeq: number; fsyncMs: number; snapshotMs: number }, state: () => EngineState, logger: Logger): StateStore {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw monitorErrors.VIGIL_MONITOR_STATE_UNWRITABLE({ dir, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
    }
    const store = new StateStore(dir, identity, logger);
    store.seq = opts.lastSeq;
    store.state = state;
    try {
      store.openJournal();
      store.snapshot();
    } catch (err) {
      throw monitorErrors.VIGIL_MONITOR_STATE_UNWRITABLE({ dir, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
    }
    store.timers.push(setInterval(() => store.flush(), opts.fsyncMs), setInterval(() => store.trySnapshot(), opts.snapshotMs));
    for (const t of store.timers) t.unref();
    return store;
  }

  private state: () => EngineState = () => { throw new Error('no state source'); };

  record(r: JournalRecord): void {
    this.seq++;
    writeSync(this.fd, frameOfRecord(r, this.seq));
    this.dirty = true;
  }

  /** Writes the snapshot now (atomic rename), then empties the journal. */
  snapshot(): void {
    const s = this.state();
    s.seq = this.seq;
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, fileHeader('vigil-state-snapshot', this.identity));
      writeSync(fd, frameOfSnapshot(s));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, SNAPSHOT));
    syncDir(this.dir);
    ftruncateSync(this.fd, this.journalStart);
    fsyncSync(this.fd);
    this.dirty = false;
  }

  /** On shutdown: a last snapshot, then close. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    if (this.fd < 0) return;
    this.trySnapshot();
    closeSync(this.fd);
    this.fd = -1;
  }

  private trySnapshot(): void {
    try {
      this.snapshot();
    } catch (err) {
      this.logger.error({ err: (err as Error).stack, dir: this.dir }, 'state snapshot failed; the journal keeps every change');
    }
  }

  private flush(): void {
    if (!this.dirty || this.fd < 0) return;
    this.dirty = false;
    fsync(this.fd, (err) => { if (err) this.logger.error({ err: err.message, dir: this.dir }, 'state journal fsync failed'); });
  }

  private openJournal(): void {
    const file = join(this.dir, JOURNAL);
    const header = fileHeader('vigil-state-journal', this.identity);
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w');
    writeSync(fd, header);
    fsyncSync(fd);
    closeSync(fd);
    // The old journal's records are all in the snapshot written next (same seq numbering), so replacing it is safe.
    renameSync(tmp, file);
    syncDir(this.dir);
    this.fd = openSync(file, 'a');
    this.journalStart = header.length;
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

function fileHeader(kind: string, identity: StateIdentity): Buffer {
  return encodeFrame({ format: kind, version: VERSION, identity });
}

/** Checks the file's header record; returns where the body starts. */
function checkHeader(buf: Buffer, file: string, kind: string, identity: StateIdentity): number {
  const d = decodeFrame(buf, 0);
  const foreign = (reason: string) => monitorErrors.VIGIL_MONITOR_STATE_FOREIGN({ file, reason });
  if (d.kind !== 'frame') throw foreign(`not a vigil state file (${d.kind === 'corrupt' ? d.reason : 'no header record'})`);
  const h = d.frame.header as { format?: string; version?: number; identity?: StateIdentity };
  if (h.format !== kind) throw foreign(`not a vigil ${kind} file`);
  if (h.version !== VERSION) throw foreign(`format version ${String(h.version)}; this vigil reads version ${VERSION}`);
  const theirs = h.identity;
  const diff = (name: string, a: unknown, b: unknown) => { if (JSON.stringify(a) !== JSON.stringify(b)) throw foreign(`written for ${name} ${JSON.stringify(a)}, this monitor has ${JSON.stringify(b)}`); };
  diff('features', theirs?.features, identity.features);
  diff('window', theirs?.window, identity.window);
  diff('window duration (ms)', theirs?.windowDuration, identity.windowDuration);
  diff('model outputs', theirs?.outputDim, identity.outputDim);
  diff('model SHA-256', theirs?.modelSha256, identity.modelSha256);
  diff('online detector settings', theirs?.online, identity.online);
  return d.next;
}

const matrixOf = (data: Float64Array | undefined, cols: number): Matrix | undefined =>
  data === undefined ? undefined : { data, rows: cols > 0 ? data.length / cols : 0, cols };

function frameOfRecord(r: JournalRecord, seq: number): Buffer {
  switch (r.t) {
    case 'obs': return encodeFrame({ t: 'obs', seq, rows: r.inputs.rows, outputs: r.outputs !== undefined, deployed: r.deployed !== undefined, ...(r.at !== undefined ? { at: r.at } : {}), ...(r.labels ? { labels: true } : {}) },
      [r.inputs.data, ...(r.outputs ? [r.outputs.data] : []), ...(r.deployed ? [r.deployed.data] : []), ...(r.labels ? [Float64Array.from(r.labels)] : [])]);
    case 'eval': return encodeFrame({ t: 'eval', seq, evaluation: r.evaluation });
    case 'ref': return encodeFrame({ t: 'ref', seq, source: r.reference.source, features: r.reference.features, ...(r.reference.vocabularies ? { vocabularies: r.reference.vocabularies } : {}) }, [r.reference.inputs.data]);
    case 'reset': return encodeFrame({ t: 'reset', seq });
    case 'online': {
      const blobs: Float64Array[] = [];
      return encodeFrame({ t: 'online', seq, online: { at: 0, ...onlineHeader(r.online, blobs) } }, blobs);
    }
  }
}

function recordFromFrame(f: Frame, id: StateIdentity): JournalRecord {
  const h = f.header as { t: string; at?: number; outputs?: boolean; deployed?: boolean; labels?: boolean; evaluation?: Evaluation; source?: string; features?: string[]; vocabularies?: Record<string, string[]> };
  const d = id.features.length;
  if (h.t === 'obs') {
    const [inputs, ...rest] = f.blobs;
    const outputs = h.outputs ? rest.shift() : undefined;
    const deployed = h.deployed ? rest.shift() : undefined;
    const labels = h.labels ? rest.shift() : undefined;
    return {
      t: 'obs', ...(h.at !== undefined ? { at: h.at } : {}), inputs: matrixOf(inputs, d) as Matrix,
      ...(outputs ? { outputs: matrixOf(outputs, id.outputDim) } : {}), ...(deployed ? { deployed: matrixOf(deployed, id.outputDim) } : {}), ...(labels ? { labels: Uint8Array.from(labels) } : {}),
    };
  }
  if (h.t === 'eval') return { t: 'eval', evaluation: h.evaluation as Evaluation };
  if (h.t === 'online') return { t: 'online', online: onlineFromFrame((f.header as unknown as { online: OnlineHeader }).online, f.blobs) };
  if (h.t === 'ref') return { t: 'ref', reference: { source: String(h.source), features: Object.freeze([...(h.features ?? [])]), inputs: matrixOf(f.blobs[0], d) as Matrix, ...(h.vocabularies ? { vocabularies: h.vocabularies } : {}) } };
  return { t: 'reset' };
}

function frameOfSnapshot(s: EngineState): Buffer {
  const blobs = [s.reference.inputs.data, s.inputs.data];
  if (s.outputs && s.deployed && s.mask) blobs.push(s.outputs.data, s.deployed.data, Float64Array.from(s.mask));
  const timesAt = s.times ? blobs.push(s.times) - 1 : undefined;
  const labelsAt = s.labels ? blobs.push(Float64Array.from(s.labels)) - 1 : undefined;
  const online = s.online ? { at: blobs.length, ...onlineHeader(s.online, blobs) } : undefined;
  return encodeFrame({ t: 'snapshot', seq: s.seq, history: s.history, reference: { source: s.reference.source, features: s.reference.features, ...(s.reference.vocabularies ? { vocabularies: s.reference.vocabularies } : {}) }, withOutputs: s.outputs !== undefined, ...(timesAt !== undefined ? { timesAt } : {}), ...(labelsAt !== undefined ? { labelsAt } : {}), ...(online ? { online } : {}) }, blobs);
}

type Shape = { rows: number; cols: number };
interface OnlineHeader { at: number; report: OnlineEnabledReport; rows: Shape[]; pending: ({ t: 'reset' } | { t: 'batch'; inputs: Shape; outputs?: Shape })[] }

/** The online state's counters and shapes for the header; its matrices appended to `blobs`. */
function onlineHeader(o: OnlinePersisted, blobs: Float64Array[]): Omit<OnlineHeader, 'at'> {
  const shape = (m: Matrix): Shape => { blobs.push(m.data); return { rows: m.rows, cols: m.cols }; };
  return {
    report: o.report,
    rows: o.rows.map(shape),
    pending: o.pending.map((p) => (p.t === 'reset' ? p : { t: 'batch' as const, inputs: shape(p.batch.inputs), ...(p.batch.outputs ? { outputs: shape(p.batch.outputs) } : {}) })),
  };
}

function onlineFromFrame(h: OnlineHeader, blobs: readonly Float64Array[]): OnlinePersisted {
  let at = h.at;
  const next = (s: Shape): Matrix => {
    const data = blobs[at++];
    if (data?.length !== s.rows * s.cols) throw new RangeError(`online state: a ${s.rows}×${s.cols} matrix holds ${data?.length ?? 0} values`);
    return { data, rows: s.rows, cols: s.cols };
  };
  const rows = h.rows.map(next);
  const pending: OnlinePending[] = h.pending.map((p) => (p.t === 'reset' ? { t: 'reset' } : { t: 'batch', batch: { inputs: next(p.inputs), ...(p.outputs ? { outputs: next(p.outputs) } : {}) } }));
  return { report: h.report, rows, pending };
}

function snapshotFromFrame(f: Frame, id: StateIdentity): EngineState {
  const h = f.header as { seq: number; history: Evaluation[]; reference: { source: string; features: string[]; vocabularies?: Record<string, string[]> }; withOutputs: boolean; timesAt?: number; labelsAt?: number; online?: OnlineHeader };
  const d = id.features.length;
  const [ref, inputs, outputs, deployed, mask] = f.blobs;
  return {
    seq: h.seq,
    history: h.history,
    reference: { source: h.reference.source, features: Object.freeze([...h.reference.features]), inputs: matrixOf(ref, d) as Matrix, ...(h.reference.vocabularies ? { vocabularies: h.reference.vocabularies } : {}) },
    inputs: matrixOf(inputs, d) as Matrix,
    ...(h.withOutputs && outputs && deployed && mask ? { outputs: matrixOf(outputs, id.outputDim), deployed: matrixOf(deployed, id.outputDim), mask: Uint8Array.from(mask) } : {}),
    ...(h.timesAt !== undefined ? { times: perRowOf(f.blobs[h.timesAt], inputs?.length ?? 0, d) } : {}),
    ...(h.labelsAt !== undefined ? { labels: Uint8Array.from(perRowOf(f.blobs[h.labelsAt], inputs?.length ?? 0, d)) } : {}),
    ...(h.online ? { online: onlineFromFrame(h.online, f.blobs) } : {}),
  };
}

/** A per-row blob of the window (observation times, label flags), checked against the window's row count. */
function perRowOf(blob: Float64Array | undefined, inputValues: number, cols: number): Float64Array {
  const rows = cols > 0 ? inputValues / cols : 0;
  if (blob?.length !== rows) throw new RangeError(`a per-row record of the window (times or label flags) holds ${blob?.length ?? 0} values for ${rows} rows`);
  return blob;
}
