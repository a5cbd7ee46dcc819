import { OnlineDetector, type OnlineResumeState } from '../drift/online.ts';
import { prepareOnlineStream } from '../drift/online-family.ts';
import type { OnlineMessage, OnlineReport, ReferenceMessage } from './types.ts';
import { WindowEvaluator } from './evaluate.ts';
import type { Matrix } from '../drift/matrix.ts';

/**
 * The worker's online detector for one reference set: calibrated when the reference arrives — in
 * slices, so evaluations keep being answered meanwhile (batches observed before it is ready are
 * not scored: `{enabled: false, reason: "calibrating"}`) — then fed every observed batch in order.
 * A reference the detector cannot use (too few rows for its window) leaves it off with the reason;
 * the per-evaluation tests still run. `close()` stops a calibration a newer reference replaced.
 */
export class OnlineRunner {
  private detector: OnlineDetector | undefined;
  private reason = 'calibrating';
  private closed = false;
  /** A persisted state to resume once calibrated, and what arrived meanwhile (absorbed after it). */
  private calibrating = false;
  private resume: { state: OnlineResumeState; queue: (OnlineMessage | 'reset')[] } | undefined;
  /** Numeric columns only, missing values imputed by the reference median (as the window's MMD). */
  private views: ((m: Matrix) => Matrix)[] = [];

  constructor(msg: ReferenceMessage) {
    const o = msg.settings.online;
    if (!o?.enabled) {
      this.reason = 'disabled (drift.online.enabled: false)';
      return;
    }
    const { sigma, sigmaScale, seed } = msg.settings;
    const bandwidth = {
      ...(sigma != null ? { sigma: typeof sigma === 'number' ? sigma : [...sigma] } : {}),
      ...(sigmaScale != null ? { sigmaScale: [...sigmaScale] } : {}),
    };
    try {
      const inputs = WindowEvaluator.numericView(msg.inputs, msg.features, msg.categorical ?? {});
      const names = inputs.cols.map((j) => msg.features[j] as string);
      this.views = [inputs.view];
      const streams = [prepareOnlineStream('inputs', inputs.view(msg.inputs), names, bandwidth)];
      if (msg.outputs) {
        const outputs = WindowEvaluator.numericView(msg.outputs, msg.outputNames, {});
        this.views.push(outputs.view);
        streams.push(prepareOnlineStream('outputs', outputs.view(msg.outputs), msg.outputNames, bandwidth));
      }
      const settings = { ert: o.ert, window: o.window, step: o.step, simulations: o.simulations, seed };
      this.calibrating = true;
      OnlineDetector.create(streams, settings, () => this.closed).then((d) => {
        this.calibrating = false;
        if (d) this.start(d);
      }, (err: Error) => {
        this.calibrating = false;
        this.reason = err.message;
        this.resume = undefined;
      });
    } catch (err) {
      this.reason = (err as Error).message;
    }
  }

  /** Resumes a persisted state (--state-dir): now if calibrated, else once calibrated. */
  restore(raw: OnlineResumeState): void {
    // The persisted rows are the observed ones (as the main thread sent them): seen through the same views.
    const state = { ...raw, rows: raw.rows.map((m, k) => this.views[k]?.(m) ?? m) };
    if (this.detector) this.detector.importState(state);
    else if (this.calibrating) this.resume = { state, queue: [] };
  }

  private start(d: OnlineDetector): void {
    const resume = this.resume;
    this.resume = undefined;
    if (resume) {
      d.importState(resume.state);
      for (const q of resume.queue) {
        if (q === 'reset') d.reset();
        else this.push(d, q);
      }
    }
    this.detector = d;
  }

  observe(msg: OnlineMessage): OnlineReport {
    if (!this.detector && this.resume) {
      this.resume.queue.push(msg);
      return { enabled: false, reason: 'calibrating (the persisted state resumes once calibrated)', queued: true };
    }
    if (!this.detector) return { enabled: false, reason: this.reason };
    this.push(this.detector, msg);
    return { enabled: true, ...this.detector.state };
  }

  private push(d: OnlineDetector, msg: OnlineMessage): void {
    const [inputs, outputs] = this.views as [(m: Matrix) => Matrix, ((m: Matrix) => Matrix)?];
    d.push(msg.outputs && outputs ? [inputs(msg.inputs), outputs(msg.outputs)] : [inputs(msg.inputs)]);
  }

  reset(): void {
    if (!this.detector && this.resume) this.resume.queue.push('reset');
    this.detector?.reset();
  }

  close(): void {
    this.closed = true;
  }
}
