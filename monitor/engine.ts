import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { MonitorConfig } from './config.ts';
import type { EvaluationClient } from './evaluation/client.ts';
import type { Evaluation, OnlineReport } from './evaluation/types.ts';
import type { MonitorMetrics } from './metrics.ts';
import { computeLabelParity, type LabelParity } from './evaluation/label-parity.ts';
import { predictInSlices, type ModelOutput, type ReferenceModel } from './model.ts';
import type { ObservationShape, Observations } from './protocols/json.ts';
import type { ReferenceSet } from './state/reference-set.ts';
import { TrafficSeries } from './state/traffic.ts';
import { RingFlags, RingWindow, type Matrix } from './state/window.ts';

export interface EngineDeps {
  config: MonitorConfig;
  metrics: MonitorMetrics;
  evaluator: EvaluationClient;
  logger: Logger;
  model?: ReferenceModel;
}

/**
 * The monitor's state: the reference set and its reference-model outputs, the sliding windows
 * (inputs, reference outputs on those inputs, deployed outputs + which rows have one), the
 * evaluation schedule (every N samples or T ms, one at a time, in the worker) and the history.
 * Emits `evaluation` after each evaluation, `observed` after rows are added, `rejected` on a rejected batch,
 * `online` with the online detector's state after each batch.
 */
export class MonitorEngine extends EventEmitter {
  readonly startedAt = Date.now();
  readonly traffic = new TrafficSeries();
  readonly history: Evaluation[] = [];
  reference!: ReferenceSet;
  referenceOutputs: Matrix | undefined;
  lastError: string | undefined;
  /** The online detector's state after the last observed batch (undefined before the first). */
  online: OnlineReport | undefined;
  private readonly inputs: RingWindow;
  private readonly outputs: RingWindow | undefined;
  private readonly deployed: RingWindow | undefined;
  private readonly deployedMask: RingFlags | undefined;
  /** Models with a label output: per row, whether a deployed label came, and whether it was the reference model's. */
  private readonly labelMask: RingFlags | undefined;
  private readonly labelAgree: RingFlags | undefined;
  private sinceEvaluation = 0;
  private seq = 0;
  private running: Promise<Evaluation | undefined> | undefined;
  private again = false;
  private readonly timer: NodeJS.Timeout;
  private lastVerdict: string | undefined;
  private closed = false;
  private lastStartedAt = 0;
  private delayed: NodeJS.Timeout | undefined;

  private constructor(private readonly deps: EngineDeps, features: number) {
    super();
    const { config, model } = deps;
    this.inputs = new RingWindow(config.window, features);
    if (model) {
      this.outputs = new RingWindow(config.window, model.outputDim);
      this.deployed = new RingWindow(config.window, model.outputDim);
      this.deployedMask = new RingFlags(config.window);
    }
    if (model?.plan?.label) {
      this.labelMask = new RingFlags(config.window);
      this.labelAgree = new RingFlags(config.window);
    }
    this.timer = setInterval(() => { if (this.sinceEvaluation > 0) this.schedule(); }, config.evaluateInterval);
    this.timer.unref();
  }

  /** Loads the reference (computing its reference-model outputs once) and sends it to the worker. */
  static async create(deps: EngineDeps, reference: ReferenceSet): Promise<MonitorEngine> {
    const engine = new MonitorEngine(deps, reference.features.length);
    await engine.setReference(reference);
    return engine;
  }

  get shape(): ObservationShape {
    return { features: this.reference.features, outputDim: this.deps.model?.outputDim, label: this.deps.model?.plan?.label };
  }

  get windowSize(): number { return this.inputs.size; }
  get windowPushed(): number { return this.inputs.pushed; }
  get evaluating(): boolean { return this.running !== undefined; }

  async setReference(reference: ReferenceSet): Promise<void> {
    const { model, config } = this.deps;
    if (reference.features.length !== this.inputs.cols) throw new RangeError(`reference has ${reference.features.length} features; the window has ${this.inputs.cols}`);
    const outputs = model ? await predictInSlices(model, reference.inputs) : undefined;
    this.reference = reference;
    this.referenceOutputs = outputs;
    this.deps.evaluator.setReference({
      type: 'reference',
      features: reference.features,
      outputNames: Array.from({ length: model?.outputDim ?? 0 }, (_, j) => `y${j}`),
      inputs: reference.inputs,
      ...(outputs ? { outputs } : {}),
      settings: { ...config.drift, parityTolerance: config.parity.tolerance },
    });
    this.deps.metrics.resetDrift();
  }

  /** Runs the reference model on validated rows and adds them to the windows. */
  async observe(obs: Observations, source: 'api' | 'proxy' | 'cloudevents'): Promise<{ accepted: number; windowSamples: number }> {
    const { model, metrics, config } = this.deps;
    let refOut: ModelOutput | undefined;
    if (model) {
      const started = performance.now();
      const options = { labels: obs.labels !== undefined };
      refOut = await (model.infer ? model.infer(obs.inputs, options) : model.predict(obs.inputs, options));
      metrics.referenceInference.observe({ model: config.modelLabel }, (performance.now() - started) / 1000);
    }
    this.inputs.pushRows(obs.inputs);
    if (refOut && this.outputs && this.deployed && this.deployedMask) {
      this.outputs.pushRows(refOut);
      if (obs.outputs) this.deployed.pushRows(obs.outputs);
      else this.deployed.pushRows({ data: new Float64Array(refOut.rows * refOut.cols), rows: refOut.rows, cols: refOut.cols });
      for (let i = 0; i < obs.inputs.rows; i++) this.deployedMask.push(obs.outputs !== undefined);
    }
    if (this.labelMask && this.labelAgree) {
      for (let i = 0; i < obs.inputs.rows; i++) {
        this.labelMask.push(obs.labels !== undefined);
        this.labelAgree.push(obs.labels !== undefined && obs.labels[i] === refOut?.labels?.[i]);
      }
    }
    this.feedOnline(obs.inputs, refOut);
    const n = obs.inputs.rows;
    metrics.observations.inc({ model: config.modelLabel, source }, n);
    metrics.windowSamples.set({ model: config.modelLabel }, this.inputs.size);
    this.traffic.recordSamples(n);
    this.sinceEvaluation += n;
    if (this.sinceEvaluation >= config.evaluateEvery) this.schedule();
    this.emit('observed', n, source);
    return { accepted: n, windowSamples: this.inputs.size };
  }

  /**
   * Asks for an evaluation from the sample count or the interval: runs now, or — if one is running
   * or the last started less than `evaluateMinGap` ago — once later, so at high ingestion rates
   * the worker is not kept busy back to back (it shares the machine's cores with the service).
   */
  private schedule(): void {
    if (this.closed) return;
    if (this.running || this.delayed) {
      this.again = true;
      return;
    }
    const wait = this.lastStartedAt + this.deps.config.evaluateMinGap - Date.now();
    if (wait <= 0) {
      void this.evaluate();
      return;
    }
    this.delayed = setTimeout(() => { this.delayed = undefined; void this.evaluate(); }, wait);
    this.delayed.unref();
  }

  /**
   * Evaluates the current window in the worker, now. One at a time: a request while one runs makes
   * exactly one more run afterwards (subject to the minimum gap). Resolves with the evaluation (undefined if the window is
   * too small or it failed — the failure is logged and kept in `lastError`).
   */
  evaluate(): Promise<Evaluation | undefined> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    clearTimeout(this.delayed);
    this.delayed = undefined;
    this.lastStartedAt = Date.now();
    this.running = this.runOnce().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    });
    return this.running;
  }

  /** Sends the batch to the online detector in the worker; its state lands in the gauges. */
  private feedOnline(inputs: Matrix, outputs: Matrix | undefined): void {
    const { metrics, logger } = this.deps;
    this.deps.evaluator.observeOnline({ inputs, ...(outputs ? { outputs } : {}) }).then((online) => {
      if (this.closed) return;
      if (online.enabled && this.online?.enabled && online.alarms > this.online.alarms && !this.online.alarm) {
        logger.warn({ statistic: online.statistic, threshold: online.threshold, decidedBy: online.decidedBy, samples: online.samples }, 'online drift alarm');
      }
      this.online = online;
      metrics.recordOnline(online);
      this.emit('online', online);
    }, (err: Error) => {
      if (!this.closed) logger.error({ err: err.message }, 'online drift detector failed');
    });
  }

  /** Counts a batch that failed validation (emits `rejected`); the windows are not touched. */
  noteRejected(code: string, source: 'api' | 'proxy' | 'cloudevents'): void {
    this.deps.metrics.rejected.inc({ model: this.deps.config.modelLabel, source, code });
    this.emit('rejected', code, source);
  }

  /** Clears the windows, the history and the drift gauges (POST /v1/reset). */
  reset(): void {
    for (const w of [this.inputs, this.outputs, this.deployed, this.deployedMask, this.labelMask, this.labelAgree]) w?.clear();
    this.history.length = 0;
    this.sinceEvaluation = 0;
    this.lastVerdict = undefined;
    this.traffic.clear();
    this.online = undefined;
    this.deps.evaluator.resetOnline();
    this.deps.metrics.resetDrift();
    this.deps.metrics.windowSamples.set({ model: this.deps.config.modelLabel }, 0);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.delayed);
  }

  private async runOnce(): Promise<Evaluation | undefined> {
    const { config, metrics, logger } = this.deps;
    if (this.closed || this.inputs.size < config.minSamples) return undefined;
    this.sinceEvaluation = 0;
    const seq = ++this.seq;
    try {
      const labelParity = this.labelMask && this.labelAgree ? computeLabelParity(this.labelAgree.snapshot(), this.labelMask.snapshot()) : undefined;
      const evaluated = await this.deps.evaluator.evaluate({
        seq,
        inputs: this.inputs.snapshot(),
        ...(this.outputs ? { outputs: this.outputs.snapshot() } : {}),
        ...(this.deployed ? { deployed: this.deployed.snapshot() } : {}),
        ...(this.deployedMask ? { deployedMask: this.deployedMask.snapshot() } : {}),
      });
      const evaluation = labelParity ? withLabelParity(evaluated, labelParity) : evaluated;
      this.lastError = undefined;
      this.history.push(evaluation);
      if (this.history.length > config.history) this.history.splice(0, this.history.length - config.history);
      metrics.recordEvaluation(evaluation);
      this.logVerdict(evaluation);
      this.emit('evaluation', evaluation);
      return evaluation;
    } catch (err) {
      if (this.closed) return undefined; // shutting down: the worker was terminated mid-evaluation
      this.lastError = (err as Error).message;
      metrics.evaluations.inc({ model: config.modelLabel, result: 'error' });
      logger.error({ err: this.lastError, seq }, 'drift evaluation failed');
      return undefined;
    }
  }

  private logVerdict(e: Evaluation): void {
    const verdict = verdictOf(e);
    const key = verdictKey(e);
    const fields = { seq: e.seq, windowSamples: e.windowSamples, durationMs: Math.round(e.durationMs * 10) / 10, verdict };
    if (key !== this.lastVerdict) this.deps.logger.info(fields, 'drift verdict changed');
    else this.deps.logger.debug(fields, 'drift evaluation');
    this.lastVerdict = key;
  }
}

/**
 * Adds label parity to an evaluation: a deployed label that is not the reference model's label
 * degrades parity whatever the probabilities say. Without deployed scores, parity is the labels'.
 */
function withLabelParity(e: Evaluation, labels: LabelParity): Evaluation {
  const base = e.parity ?? { samples: 0, maxAbsDiff: 0, meanAbsDiff: 0, agreementRatio: labels.agreementRatio, degraded: false };
  return { ...e, parity: { ...base, labels, degraded: base.degraded || labels.mismatches > 0 } };
}

/** A one-line verdict: `drift (family p=0.0099 <= 0.05, decided by inputs ks f3); parity: ok`. */
export function verdictOf(e: Evaluation): string {
  const f = e.family;
  const by = `${f.decidedBy.source} ${f.decidedBy.test}${f.decidedBy.feature !== undefined ? ` ${f.decidedBy.feature}` : ''}`;
  const parts = [f.drift ? `drift (family p=${f.pValue.toPrecision(2)} <= ${f.alpha}, decided by ${by})` : 'no drift'];
  if (e.parity) parts.push(`parity: ${e.parity.degraded ? 'degraded' : 'ok'}`);
  return parts.join('; ');
}

/** The coarse verdict (drift yes/no, parity) whose changes are logged and printed. */
export function verdictKey(e: Evaluation): string {
  return `${e.drift}/${e.parity?.degraded}`;
}
