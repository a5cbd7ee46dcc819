import { OnlineDetector, type OnlineResumeState } from '../drift/online.ts';
import { prepareOnlineStream } from '../drift/online-family.ts';
import type { OnlineMessage, OnlineReport, ReferenceMessage } from './types.ts';

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
      const streams = [prepareOnlineStream('inputs', msg.inputs, msg.features, bandwidth)];
      if (msg.outputs) streams.push(prepareOnlineStream('outputs', msg.outputs, msg.outputNames, bandwidth));
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
  restore(state: OnlineResumeState): void {
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
        else d.push(q.outputs ? [q.inputs, q.outputs] : [q.inputs]);
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
    this.detector.push(msg.outputs ? [msg.inputs, msg.outputs] : [msg.inputs]);
    return { enabled: true, ...this.detector.state };
  }

  reset(): void {
    if (!this.detector && this.resume) this.resume.queue.push('reset');
    this.detector?.reset();
  }

  close(): void {
    this.closed = true;
  }
}
