import { OnlineDetector } from '../drift/online.ts';
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
      OnlineDetector.create(streams, settings, () => this.closed).then((d) => { this.detector = d; }, (err: Error) => { this.reason = err.message; });
    } catch (err) {
      this.reason = (err as Error).message;
    }
  }

  observe(msg: OnlineMessage): OnlineReport {
    if (!this.detector) return { enabled: false, reason: this.reason };
    this.detector.push(msg.outputs ? [msg.inputs, msg.outputs] : [msg.inputs]);
    return { enabled: true, ...this.detector.state };
  }

  reset(): void {
    this.detector?.reset();
  }

  close(): void {
    this.closed = true;
  }
}
