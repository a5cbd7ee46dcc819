import { ksPValueFunction } from './ks-p-memo.ts';
import { ksStatisticAgainst } from './ks-reference.ts';
import type { Matrix } from './matrix.ts';
import { rowSquaredNorms } from './gemm.ts';
import { crossKernel, selfKernel } from './kernel.ts';
import { mmd2FromSums } from './permutations.ts';
import { calibrateOnline, calibrateOnlineInSlices, type Calibration, type OnlineSettings } from './online-calibration.ts';
import { familyScore, type FamilyScore, type OnlineStreamReference } from './online-family.ts';

/**
 * The online drift detector: every `step` samples it scores the last `window` samples with the
 * family statistic (−log10 of the smallest p-value over KS per feature and MMD, on every stream)
 * and raises the alarm when the score reaches the threshold calibrated for the configured ERT
 * (online-calibration.ts). Batches of any size are accepted: the windows ending at each multiple
 * of `step` inside a batch are all scored. The alarm stays raised until a full window of samples
 * has passed with no score at the threshold, so a scrape every few seconds does not miss it.
 * Pure computation.
 */
export interface OnlineStep {
  /** Samples seen (since start, reset or reference change) at the end of the scored window. */
  readonly samples: number;
  readonly statistic: number;
  readonly threshold: number;
  /** The score reached the threshold at this step. */
  readonly crossed: boolean;
  readonly decidedBy: FamilyScore['decidedBy'];
}

export interface OnlineState {
  readonly ert: number;
  readonly window: number;
  readonly step: number;
  readonly threshold: number;
  readonly samples: number;
  readonly statistic: number | undefined;
  readonly alarm: boolean;
  readonly alarms: number;
  readonly lastAlarmAtSample: number | undefined;
  readonly decidedBy: FamilyScore['decidedBy'] | undefined;
  readonly calibration: { simulations: number; horizonSteps: number; durationMs: number };
}

/** What OnlineDetector.exportState() gives and importState() takes back. */
export interface OnlineResumeState {
  readonly samples: number;
  readonly alarms: number;
  readonly lastAlarmAtSample: number | undefined;
  readonly statistic: number | undefined;
  readonly decidedBy: FamilyScore['decidedBy'] | undefined;
  /** Per stream: the last min(samples, window) rows, oldest first. */
  readonly rows: readonly Matrix[];
}

export class OnlineDetector {
  readonly calibration: Calibration;
  private readonly buffers: Float64Array[];
  /** Per stream, per ring slot: Σ_j k(row, reference_j), computed once when the row arrives. */
  private readonly crossSums: Float64Array[];
  private samples = 0;
  private alarmUntil = -1;
  private alarms = 0;
  private last: OnlineStep | undefined;
  private lastAlarmAt: number | undefined;
  private readonly ksLive: (d: number) => number;
  private readonly counts: Int32Array;

  /** Calibrates now (synchronously) unless a calibration is given. */
  constructor(private readonly streams: readonly OnlineStreamReference[], private readonly settings: OnlineSettings, calibration?: Calibration) {
    this.calibration = calibration ?? calibrateOnline(streams, settings);
    const w = settings.window;
    // Ring buffers of the last `window` rows, per stream, row-major.
    this.buffers = streams.map((s) => new Float64Array(w * s.reference.cols));
    this.crossSums = streams.map(() => new Float64Array(w));
    const n = (streams[0] as OnlineStreamReference).reference.rows;
    this.ksLive = ksPValueFunction(n, w);
    this.counts = new Int32Array(2 * (n + 1));
  }

  /** Calibrates in slices that leave the event loop free in between; undefined when cancelled. */
  static async create(streams: readonly OnlineStreamReference[], settings: OnlineSettings, cancelled: () => boolean = () => false): Promise<OnlineDetector | undefined> {
    const calibration = await calibrateOnlineInSlices(streams, settings, cancelled);
    return calibration ? new OnlineDetector(streams, settings, calibration) : undefined;
  }

  /** Adds a batch (one matrix per stream, same rows) and scores every window that completes a step. */
  push(batch: readonly Matrix[]): OnlineStep[] {
    const rows = batch[0]?.rows ?? 0;
    const { window: w, step } = this.settings;
    const out: OnlineStep[] = [];
    if (rows === 0) return out;
    // The batch's kernel row sums against the reference, all at once.
    const sums = batch.map((m, k) => {
      const prep = (this.streams[k] as OnlineStreamReference).mmd;
      return crossKernel(prep.reference, prep.refNorms, m, rowSquaredNorms(m), prep.gammas).storedRowSumsY;
    });
    for (let r = 0; r < rows; r++) {
      const slot = this.samples % w;
      batch.forEach((m, k) => {
        (this.buffers[k] as Float64Array).set(m.data.subarray(r * m.cols, (r + 1) * m.cols), slot * m.cols);
        (this.crossSums[k] as Float64Array)[slot] = (sums[k] as Float64Array)[r] as number;
      });
      this.samples++;
      if (this.samples >= w && (this.samples - w) % step === 0) out.push(this.score());
    }
    return out;
  }

  /** Forgets the stream (POST /v1/reset): the next alarm needs a full new window. */
  reset(): void {
    this.samples = 0;
    this.alarmUntil = -1;
    this.alarms = 0;
    this.last = undefined;
    this.lastAlarmAt = undefined;
  }

  /**
   * The detector's dynamic state (--state-dir): the last min(samples, window) rows per stream,
   * oldest first, and the counters. The calibration is not in it: it is recomputed (seeded) at start.
   */
  exportState(): OnlineResumeState {
    const w = this.settings.window;
    const m = Math.min(this.samples, w);
    const rows = this.streams.map((s, k) => {
      const cols = s.reference.cols;
      const buf = this.buffers[k] as Float64Array;
      const data = new Float64Array(m * cols);
      for (let i = 0; i < m; i++) {
        const slot = (this.samples - m + i) % w;
        data.set(buf.subarray(slot * cols, (slot + 1) * cols), i * cols);
      }
      return { data, rows: m, cols };
    });
    return { samples: this.samples, alarms: this.alarms, lastAlarmAtSample: this.lastAlarmAt, statistic: this.last?.statistic, decidedBy: this.last?.decidedBy, rows };
  }

  /**
   * Resumes an exported state: the rows go back to the slots they held and their kernel sums
   * against the reference are recomputed (row by row, as when they arrived), so every later
   * score is the one the uninterrupted detector would have computed.
   */
  importState(s: OnlineResumeState): void {
    const w = this.settings.window;
    const m = Math.min(s.samples, w);
    if (!Number.isInteger(s.samples) || s.samples < 0) throw new RangeError(`online state: samples ${s.samples} is not a count`);
    if (s.rows.length !== this.streams.length) throw new RangeError(`online state has ${s.rows.length} streams; the detector has ${this.streams.length}`);
    s.rows.forEach((r, k) => {
      const cols = (this.streams[k] as OnlineStreamReference).reference.cols;
      if (r.cols !== cols || r.rows !== m) throw new RangeError(`online state stream ${k}: ${r.rows}×${r.cols} rows, expected ${m}×${cols}`);
    });
    const sums = s.rows.map((m2, k) => {
      const prep = (this.streams[k] as OnlineStreamReference).mmd;
      return m2.rows === 0 ? new Float64Array(0) : crossKernel(prep.reference, prep.refNorms, m2, rowSquaredNorms(m2), prep.gammas).storedRowSumsY;
    });
    for (let i = 0; i < m; i++) {
      const slot = (s.samples - m + i) % w;
      s.rows.forEach((r, k) => {
        (this.buffers[k] as Float64Array).set(r.data.subarray(i * r.cols, (i + 1) * r.cols), slot * r.cols);
        (this.crossSums[k] as Float64Array)[slot] = (sums[k] as Float64Array)[i] as number;
      });
    }
    this.samples = s.samples;
    this.alarms = s.alarms;
    this.lastAlarmAt = s.lastAlarmAtSample;
    // An alarm stays raised for a window after the last crossing (see score()).
    this.alarmUntil = s.lastAlarmAtSample === undefined ? -1 : s.lastAlarmAtSample + w;
    this.last = s.statistic === undefined || s.decidedBy === undefined ? undefined
      : { samples: s.samples, statistic: s.statistic, threshold: this.calibration.threshold, crossed: false, decidedBy: s.decidedBy };
  }

  get state(): OnlineState {
    const { ert, window, step } = this.settings;
    return {
      ert, window, step,
      threshold: this.calibration.threshold,
      samples: this.samples,
      statistic: this.last?.statistic,
      alarm: this.samples <= this.alarmUntil,
      alarms: this.alarms,
      lastAlarmAtSample: this.lastAlarmAt,
      decidedBy: this.last?.decidedBy,
      calibration: { simulations: this.calibration.simulations, horizonSteps: this.calibration.horizonSteps, durationMs: this.calibration.durationMs },
    };
  }

  private score(): OnlineStep {
    const w = this.settings.window;
    const ks: Float64Array[] = [];
    const mmd2: number[] = [];
    this.streams.forEach((s, k) => {
      const cols = s.reference.cols;
      const buf = this.buffers[k] as Float64Array;
      const matrix: Matrix = { data: buf, rows: w, cols };
      const d = new Float64Array(cols);
      const col = new Float64Array(w);
      for (let c = 0; c < cols; c++) {
        for (let t = 0; t < w; t++) col[t] = buf[t * cols + c] as number;
        d[c] = ksStatisticAgainst(s.ks[c] as NonNullable<(typeof s.ks)[number]>, col, `window ${s.names[c] ?? c}`, this.counts);
      }
      ks.push(d);
      // Row order does not matter to either statistic, so the ring buffer is used as it lies;
      // only the window's own kernel block is computed per step (O(window²)).
      let cross = 0;
      for (const v of this.crossSums[k] as Float64Array) cross += v;
      const self = selfKernel(matrix, rowSquaredNorms(matrix), s.mmd.gammas);
      mmd2.push(mmd2FromSums(s.mmd.refBlock.storedPairSum, self.storedPairSum, cross, s.reference.rows, w));
    });
    const score = familyScore(this.streams, { ks, mmd2 }, this.calibration.scale, this.ksLive);
    const crossed = score.statistic >= this.calibration.threshold;
    if (crossed) {
      if (this.samples > this.alarmUntil) this.alarms++;
      this.alarmUntil = this.samples + w;
      this.lastAlarmAt = this.samples;
    }
    this.last = { samples: this.samples, statistic: score.statistic, threshold: this.calibration.threshold, crossed, decidedBy: score.decidedBy };
    return this.last;
  }
}
