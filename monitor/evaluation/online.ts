import { OnlineDetector } from '../drift/online.ts';
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
      OnlineDetector.create(streams, settings, () => this.closed).then((d) => { this.detector = d; }, (err: Error) => { this.reason = err.message; });
    } catch (err) {
      this.reason = (err as Error).message;
    }
  }

  observe(msg: OnlineMessage): OnlineReport {
    if (!this.detector) return { enabled: false, reason: this.reason };
    const [inputs, outputs] = this.views as [(m: Matrix) => Matrix, ((m: Matrix) => Matrix)?];
    this.detector.push(msg.outputs && outputs ? [inputs(msg.inputs), outputs(msg.outputs)] : [inputs(msg.inputs)]);
    return { enabled: true, ...this.detector.state };
  }

  reset(): void {
    this.detector?.reset();
  }

  close(): void {
    this.closed = true;
  }
}
