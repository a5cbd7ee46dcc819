import type { OnlineReport } from '../evaluation/types.ts';
import { RingWindow, type Matrix } from './window.ts';

/** A batch sent to the online detector (inputs, and reference outputs with a model). */
export interface OnlineBatch { readonly inputs: Matrix; readonly outputs?: Matrix }
/** What the detector has still to absorb, in order: a batch, or a reset (POST /v1/reset). */
export type OnlinePending = { readonly t: 'batch'; readonly batch: OnlineBatch } | { readonly t: 'reset' };
export type OnlineEnabledReport = Extract<OnlineReport, { enabled: true }>;

/**
 * The online detector's durable state (--state-dir): its last report (counters, statistic, alarm)
 * with the rows it holds — the last min(samples, window) per stream, oldest first — and what was
 * sent to it but not yet absorbed when the state was taken (replayed after it on restore).
 */
export interface OnlinePersisted {
  readonly report: OnlineEnabledReport;
  readonly rows: readonly Matrix[];
  readonly pending: readonly OnlinePending[];
}

/**
 * The main thread's copy of the online detector's state, so a snapshot can be taken at any moment
 * without asking the worker. The worker answers every batch in order; an enabled answer means the
 * batch was absorbed and carries the detector's counters, so the rows it holds are the last
 * min(samples, window) rows of the absorbed batches (a reset or a new detector only shortens that
 * suffix). Batches not yet answered, and those the worker queues while it calibrates before
 * resuming a persisted state, are kept to be replayed. Pure bookkeeping, no I/O.
 */
export class OnlineMirror {
  private rings: RingWindow[] | undefined;
  /** The last enabled report; undefined while the detector is not (known to be) running. */
  private report: OnlineEnabledReport | undefined;
  /** Restoring: the worker queues batches until its calibration is done, then absorbs them. */
  private restoring = false;
  private deferred: OnlinePending[] = [];
  private outstanding: (OnlinePending & { superseded?: true })[] = [];

  constructor(private readonly window: number) {}

  /**
   * True right after the answer that showed a new detector running (after start, a reference
   * change or a worker restart): the engine journals the state then, since the batches before it
   * were not absorbed and a replay must not absorb them either.
   */
  startedNow = false;

  /** A persisted state was handed to the worker and it has not answered with a running detector yet. */
  get resuming(): boolean { return this.restoring; }

  /** A batch was posted to the worker. */
  sent(batch: OnlineBatch): void { this.outstanding.push({ t: 'batch', batch }); }

  /** A reset was posted to the worker. */
  resetSent(): void { this.outstanding.push({ t: 'reset' }); }

  /** The worker answered the oldest outstanding batch (undefined: it failed). */
  answered(report: OnlineReport | undefined): void {
    this.startedNow = false;
    let head = this.outstanding.shift();
    while (head?.t === 'reset') {
      if (this.restoring && !head.superseded) this.deferred.push(head);
      head = this.outstanding.shift();
    }
    // Sent before a restore: whatever the detector did with it, the restored state replaced it.
    if (!head || head.superseded) return;
    if (report?.enabled) {
      for (const p of this.deferred) if (p.t === 'batch') this.absorb(p.batch);
      this.absorb(head.batch);
      this.deferred = [];
      this.startedNow = this.report === undefined && !this.restoring;
      this.restoring = false;
      this.report = report;
      return;
    } else if (report && 'queued' in report && report.queued) {
      this.deferred.push(head);
    } else if (this.restoring) {
      // The resumed detector could not start (its calibration failed): nothing to persist.
      this.restoring = false;
      this.deferred = [];
      this.report = undefined;
    }
  }

  /** The worker was sent a new reference: a new detector, not running until calibrated. */
  referenceChanged(): void {
    this.report = undefined;
    this.restoring = false;
    this.deferred = [];
  }

  /** A persisted state was sent to the worker (before the replay of its pending batches). */
  restored(p: OnlinePersisted): void {
    const rings = p.rows.map((m) => new RingWindow(this.window, m.cols));
    p.rows.forEach((m, k) => (rings[k] as RingWindow).pushRows(m));
    this.rings = rings;
    this.report = p.report;
    this.restoring = true;
    this.deferred = [];
    // What was posted before the restore is superseded by it (its answers are still to come).
    this.outstanding = this.outstanding.map((x) => ({ ...x, superseded: true as const }));
  }

  /** The state to persist; undefined when the detector is off or still calibrating a new reference. */
  export(): OnlinePersisted | undefined {
    const report = this.report;
    if (!report) return undefined;
    const m = Math.min(report.samples, this.window);
    const rows = (this.rings ?? []).map((r) => {
      const all = r.snapshot();
      if (all.rows < m) throw new RangeError(`online mirror holds ${all.rows} rows; the detector ${m}`);
      return { data: all.data.slice((all.rows - m) * all.cols), rows: m, cols: all.cols };
    });
    const pending = this.outstanding.filter((x) => !x.superseded).map((x): OnlinePending => (x.t === 'reset' ? { t: 'reset' } : { t: 'batch', batch: x.batch }));
    return { report, rows, pending: [...this.deferred, ...pending] };
  }

  private absorb(b: OnlineBatch): void {
    const streams = b.outputs ? [b.inputs, b.outputs] : [b.inputs];
    this.ringsFor(streams).forEach((r, k) => r.pushRows(streams[k] as Matrix));
  }

  private ringsFor(streams: readonly Matrix[]): RingWindow[] {
    if (!this.rings || this.rings.length < streams.length) {
      const old = this.rings ?? [];
      this.rings = streams.map((m, k) => old[k] ?? new RingWindow(this.window, m.cols));
    }
    return this.rings;
  }
}
