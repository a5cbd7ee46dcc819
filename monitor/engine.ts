import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { MonitorConfig } from './config.ts';
import type { EvaluationClient } from './evaluation/client.ts';
import type { Evaluation, OnlineReport, WorkerMemory } from './evaluation/types.ts';
import type { MonitorMetrics } from './metrics.ts';
import { computeLabelParity, type LabelParity } from './evaluation/label-parity.ts';
import { predictInSlices, type ModelOutput, type ReferenceModel } from './model.ts';
import type { ObservationShape, Observations } from './protocols/json.ts';
import type { ReferenceSet } from './state/reference-set.ts';
import { TrafficSeries } from './state/traffic.ts';
import { EvaluationHealth } from './state/health.ts';
import type { EngineState, JournalRecord, StateSink } from './state/store.ts';
import { oneLine } from './one-line.ts';
import { monitorErrors } from './errors.ts';
import { isVigilError, type VigilError } from '../common/errors.ts';
import { assertFiniteOutputs, assertRepresentable } from './state/representable.ts';
import { RingFlags, RingWindow, type Matrix } from './state/window.ts';
import { OnlineMirror, type OnlinePersisted } from './state/online-mirror.ts';

export interface EngineDeps {
  config: MonitorConfig;
  metrics: MonitorMetrics;
  evaluator: EvaluationClient;
  logger: Logger;
  model?: ReferenceModel;
  /** Live vocabularies of the categorical features (shared with the model, which decodes codes through them). */
  vocabularies?: Record<string, string[]>;
}

/**
 * The monitor's state: the reference set and its reference-model outputs, the sliding windows
 * (inputs, reference outputs on those inputs, deployed outputs + which rows have one), the
 * evaluation schedule (every N samples or T ms, one at a time, in the worker) and the history.
 * Emits `evaluation` after each evaluation, `evaluationFailed` (one-line reason) after a failed one,
 * `observed` after rows are added, `rejected` on a rejected batch, `online` with the online
 * detector's state after each batch.
 */
export class MonitorEngine extends EventEmitter {
  readonly startedAt = Date.now();
  readonly traffic = new TrafficSeries();
  readonly history: Evaluation[] = [];
  reference!: ReferenceSet;
  referenceOutputs: Matrix | undefined;
  /** The online detector's state after the last observed batch (undefined before the first). */
  online: OnlineReport | undefined;
  /** Last evaluation failed? Verdict stale? (GET /readyz, /v1/status, the health series.) */
  readonly health: EvaluationHealth;
  private readonly staleTimer: NodeJS.Timeout;
  private staleWithdrawn = false;
  private sink: StateSink | undefined;
  /** What the online detector in the worker holds, for --state-dir snapshots. */
  private readonly onlineMirror: OnlineMirror;
  private readonly inputs: RingWindow;
  /** A duration window: each row's observation time (epoch ms), in step with the other windows. */
  private readonly times: RingWindow | undefined;
  /** Rows aged out of a duration window since the last evaluation (the interval timer evaluates then too). */
  private agedOut = 0;
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
    if (config.windowDuration !== undefined) this.times = new RingWindow(config.window, 1);
    this.onlineMirror = new OnlineMirror(config.drift.online.window);
    if (model) {
      this.outputs = new RingWindow(config.window, model.outputDim);
      this.deployed = new RingWindow(config.window, model.outputDim);
      this.deployedMask = new RingFlags(config.window);
    }
    if (model?.plan?.label) {
      this.labelMask = new RingFlags(config.window);
      this.labelAgree = new RingFlags(config.window);
    }
    this.timer = setInterval(() => {
      this.evictExpired();
      if (this.sinceEvaluation > 0 || this.agedOut > 0) this.schedule();
    }, config.evaluateInterval);
    this.timer.unref();
    this.health = new EvaluationHealth(config.staleAfter);
    this.staleTimer = setInterval(() => { this.evictExpired(); this.withdrawIfStale(); }, Math.max(50, Math.min(config.staleAfter / 4, 5000)));
    this.staleTimer.unref();
  }

  /** Loads the reference (computing its reference-model outputs once) and sends it to the worker. */
  static async create(deps: EngineDeps, reference: ReferenceSet): Promise<MonitorEngine> {
    const engine = new MonitorEngine(deps, reference.features.length);
    await engine.setReference(reference);
    return engine;
  }

  get shape(): ObservationShape {
    return { features: this.reference.features, outputDim: this.deps.model?.outputDim, label: this.deps.model?.plan?.label, encode: this.encoders, missing: this.deps.config.missing };
  }

  /**
   * Per feature, a categorical feature's coder: the reference vocabulary's index, and a new code
   * (from the vocabulary's size up) for a value the reference never had — the window counts those
   * as unseen categories. Codes of unseen values live only in memory (see README: state).
   */
  private encoders: ((value: string) => number)[] | undefined;

  private buildEncoders(reference: ReferenceSet): void {
    const vocab = reference.vocabularies;
    if (!vocab) { this.encoders = undefined; return; }
    this.encoders = reference.features.map((name) => {
      const values = vocab[name];
      if (!values) return undefined as unknown as (value: string) => number;
      // The live array (shared with the model) restarts from the reference's vocabulary.
      const live = this.deps.vocabularies?.[name];
      if (live) live.splice(0, live.length, ...values);
      const codes = new Map(values.map((v, k) => [v, k]));
      const limit = values.length + 100_000;
      return (value: string): number => {
        let code = codes.get(value);
        if (code === undefined) {
          // Bounded: past 100k distinct unseen values the rest share one code (the model then gets the last one's value).
          code = Math.min(codes.size, limit);
          if (code < limit) { codes.set(value, code); live?.push(value); }
        }
        return code;
      };
    });
  }

  get windowSize(): number { return this.inputs.size; }
  get windowPushed(): number { return this.inputs.pushed; }
  get evaluating(): boolean { return this.running !== undefined; }
  /** The evaluation worker's heap after its last evaluation (GET /v1/status). */
  get workerMemory(): WorkerMemory | undefined { return this.deps.evaluator.memory; }
  /** One-line reason of the last evaluation, when it failed (no stack: that goes to the log). */
  get lastError(): string | undefined { return this.health.lastError; }

  async setReference(reference: ReferenceSet): Promise<void> {
    // The model decodes the new reference's codes through the live vocabularies: they follow it
    // while it is checked, and go back to the one in force if it is refused.
    const previous = this.reference as ReferenceSet | undefined;
    try {
      await this.trySetReference(reference);
    } catch (err) {
      if (previous) this.buildEncoders(previous);
      throw err;
    }
  }

  private async trySetReference(reference: ReferenceSet): Promise<void> {
    const { model, config } = this.deps;
    for (const [name, values] of Object.entries(reference.vocabularies ?? {})) this.deps.vocabularies?.[name]?.splice(0, Infinity, ...values);
    if (reference.features.length !== this.inputs.cols) throw new RangeError(`reference has ${reference.features.length} features; the window has ${this.inputs.cols}`);
    const invalid = (reason: string) => monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: reference.source, reason });
    try { assertRepresentable(reference.inputs, (i, j) => `row ${i + 1}, feature ${reference.features[j]},`); } catch (err) { throw invalid(oneLine(err)); }
    if (config.missing === 'reject') {
      const k = reference.inputs.data.findIndex((x) => Number.isNaN(x));
      if (k >= 0) throw invalid(`row ${Math.floor(k / reference.inputs.cols) + 1}, feature ${reference.features[k % reference.inputs.cols]} is missing (empty or null), and missing is reject`);
    }
    if (reference.vocabularies && Object.keys(reference.vocabularies).length === reference.features.length) throw invalid('every feature is categorical; the monitor needs at least one numeric feature');
    const outputs = model ? await predictInSlices(model, reference.inputs) : undefined;
    if (outputs) {
      try { assertFiniteOutputs(reference.inputs, outputs, 'reference row'); } catch (err) { throw invalid(oneLine(err)); }
    }
    // The worker builds its tests on the new set before it is adopted: a set that cannot be
    // evaluated is refused here, and the one in force stays.
    try {
      await this.deps.evaluator.setReference({
        type: 'reference',
        features: reference.features,
        ...(reference.vocabularies ? { categorical: Object.fromEntries(Object.entries(reference.vocabularies).map(([k, v]) => [k, v.length])) } : {}),
        outputNames: Array.from({ length: model?.outputDim ?? 0 }, (_, j) => `y${j}`),
        inputs: reference.inputs,
        ...(outputs ? { outputs } : {}),
        settings: { ...config.drift, parityTolerance: config.parity.tolerance },
      });
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error).stack, source: reference.source }, 'reference set refused by the evaluator');
      throw invalid(`the drift tests cannot be built on it: ${oneLine(err)}`);
    }
    this.reference = reference;
    this.buildEncoders(reference);
    this.referenceOutputs = outputs;
    this.onlineMirror.referenceChanged();
    this.deps.metrics.resetDrift();
    this.health.restart();
    this.staleWithdrawn = false;
    this.sink?.record({ t: 'ref', reference });
  }

  /** Runs the reference model on validated rows and adds them to the windows. */
  async observe(obs: Observations, source: 'api' | 'proxy' | 'cloudevents'): Promise<{ accepted: number; windowSamples: number }> {
    const { model, metrics, config } = this.deps;
    // Validate before accepting: nothing enters the window that would make an evaluation fail.
    const features = this.reference.features;
    const refuse = (err: VigilError): never => { this.noteRejected(err.code, source); throw err; };
    const check = (fn: () => void): void => { try { fn(); } catch (err) { if (isVigilError(err)) refuse(err); throw err; } };
    check(() => assertRepresentable(obs.inputs, (i, j) => `inputs[${i}][${j}] (feature ${features[j]})`));
    if (obs.outputs) check(() => assertRepresentable(obs.outputs as Matrix, (i, j) => `outputs[${i}][${j}]`));
    let refOut: ModelOutput | undefined;
    if (model) {
      const started = performance.now();
      const options = { labels: obs.labels !== undefined };
      refOut = await (model.infer ? model.infer(obs.inputs, options) : model.predict(obs.inputs, options));
      metrics.referenceInference.observe({ model: config.modelLabel }, (performance.now() - started) / 1000);
      const out = refOut;
      check(() => assertFiniteOutputs(obs.inputs, out, 'inputs'));
    }
    const at = Date.now();
    this.evictExpired(at);
    this.pushRows(obs.inputs, refOut, obs.outputs, at);
    let labels: Uint8Array | undefined;
    if (this.labelMask && this.labelAgree) {
      labels = new Uint8Array(obs.inputs.rows);
      if (obs.labels !== undefined) for (let i = 0; i < labels.length; i++) labels[i] = obs.labels[i] === refOut?.labels?.[i] ? LABEL_AGREES : LABEL_DIFFERS;
      this.pushLabels(labels);
    }
    this.feedOnline(obs.inputs, refOut);
    this.sink?.record({ t: 'obs', inputs: obs.inputs, ...(refOut ? { outputs: refOut } : {}), ...(obs.outputs ? { deployed: obs.outputs } : {}), ...(this.times ? { at } : {}), ...(labels ? { labels } : {}) });
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
    const batch = { inputs, ...(outputs ? { outputs } : {}) };
    this.onlineMirror.sent(batch);
    this.deps.evaluator.observeOnline(batch).then((online) => {
      this.onlineMirror.answered(online);
      if (this.onlineMirror.startedNow && this.sink) {
        const state = this.onlineMirror.export();
        if (state) this.sink.record({ t: 'online', online: state });
      }
      // While a resumed detector calibrates, the restored state stays shown.
      if (this.closed || (!online.enabled && online.queued)) return;
      if (online.enabled && this.online?.enabled && online.alarms > this.online.alarms && !this.online.alarm) {
        logger.warn({ statistic: online.statistic, threshold: online.threshold, decidedBy: online.decidedBy, samples: online.samples }, 'online drift alarm');
      }
      this.online = online;
      metrics.recordOnline(online);
      this.emit('online', online);
    }, (err: Error) => {
      this.onlineMirror.answered(undefined);
      if (!this.closed) logger.error({ err: err.message }, 'online drift detector failed');
    });
  }

  /**
   * A duration window: drops the rows observed more than `windowDuration` ago (oldest first, from
   * every window in step). Called on ingestion, before each evaluation, on the timers and by
   * GET /v1/status; returns the rows dropped.
   */
  evictExpired(now = Date.now()): number {
    const times = this.times;
    const duration = this.deps.config.windowDuration;
    if (!times || duration === undefined) return 0;
    const cutoff = now - duration;
    let k = 0;
    while (k < times.size && times.at(k) < cutoff) k++;
    if (k === 0) return 0;
    for (const w of [this.inputs, this.times, this.outputs, this.deployed, this.deployedMask, this.labelMask, this.labelAgree]) w?.dropOldest(k);
    this.agedOut += k;
    this.deps.metrics.windowSamples.set({ model: this.deps.config.modelLabel }, this.inputs.size);
    return k;
  }

  /** Age of the oldest row of a duration window, seconds (undefined for a count window or an empty one). */
  oldestAgeSeconds(now = Date.now()): number | undefined {
    return this.times && this.times.size > 0 ? (now - this.times.at(0)) / 1000 : undefined;
  }

  private pushRows(inputs: Matrix, refOut: Matrix | undefined, deployed: Matrix | undefined, at: number | Float64Array): void {
    this.inputs.pushRows(inputs);
    if (this.times) {
      for (let i = 0; i < inputs.rows; i++) this.times.push([typeof at === 'number' ? at : at[i] as number]);
    }
    if (refOut && this.outputs && this.deployed && this.deployedMask) {
      this.outputs.pushRows(refOut);
      if (deployed) this.deployed.pushRows(deployed);
      else this.deployed.pushRows({ data: new Float64Array(refOut.rows * refOut.cols), rows: refOut.rows, cols: refOut.cols });
      for (let i = 0; i < inputs.rows; i++) this.deployedMask.push(deployed !== undefined);
    }
  }

  /** Label parity rows: 0 no deployed label, LABEL_DIFFERS, LABEL_AGREES (as --state-dir keeps them). */
  private pushLabels(flags: Uint8Array): void {
    for (const f of flags) {
      this.labelMask?.push(f !== 0);
      this.labelAgree?.push(f === LABEL_AGREES);
    }
  }

  /** Reports every later change to `sink` (the --state-dir journal). */
  attachState(sink: StateSink): void { this.sink = sink; }

  /** The whole durable state (the --state-dir snapshot). */
  exportState(): EngineState {
    return {
      seq: 0,
      reference: this.reference,
      history: [...this.history],
      inputs: this.inputs.snapshot(),
      ...(this.times ? { times: this.times.snapshot().data } : {}),
      ...(this.outputs && this.deployed && this.deployedMask ? { outputs: this.outputs.snapshot(), deployed: this.deployed.snapshot(), mask: this.deployedMask.snapshot() } : {}),
      ...(this.labelMask && this.labelAgree ? { labels: labelFlags(this.labelMask.snapshot(), this.labelAgree.snapshot()) } : {}),
      online: this.onlineMirror.export(),
    };
  }

  /** Resumes from a --state-dir snapshot and the journal after it (before the sink is attached). */
  async restoreState(snapshot: EngineState | undefined, journal: readonly JournalRecord[]): Promise<void> {
    if (snapshot) {
      if (!sameReference(snapshot.reference, this.reference)) await this.setReference(snapshot.reference);
      this.reset();
      this.history.push(...snapshot.history);
      const mask = snapshot.mask;
      if (snapshot.outputs && snapshot.deployed && mask && this.deployedMask) {
        this.inputs.pushRows(snapshot.inputs);
        this.outputs?.pushRows(snapshot.outputs);
        this.deployed?.pushRows(snapshot.deployed);
        for (const f of mask) this.deployedMask.push(f === 1);
      } else {
        this.inputs.pushRows(snapshot.inputs);
      }
      if (this.times) for (const t of snapshot.times ?? new Float64Array(snapshot.inputs.rows)) this.times.push([t]);
      this.pushLabels(snapshot.labels ?? new Uint8Array(snapshot.inputs.rows));
      if (snapshot.online) this.restoreOnline(snapshot.online);
    }
    for (const r of journal) {
      if (r.t === 'obs') {
        this.pushRows(r.inputs, r.outputs, r.deployed, r.at ?? Date.now());
        this.pushLabels(r.labels ?? new Uint8Array(r.inputs.rows));
        this.feedOnline(r.inputs, r.outputs);
      }
      else if (r.t === 'eval') this.history.push(r.evaluation);
      else if (r.t === 'online') this.restoreOnline(r.online);
      else if (r.t === 'ref') await this.setReference(r.reference);
      else this.reset();
    }
    if (this.history.length > this.deps.config.history) this.history.splice(0, this.history.length - this.deps.config.history);
    this.seq = this.history.reduce((m, e) => Math.max(m, e.seq), 0);
    const last = this.history[this.history.length - 1];
    if (last) {
      this.deps.metrics.recordEvaluation(last);
      this.health.recordSuccess(Date.parse(last.at));
    }
    this.evictExpired(); // rows that aged out while the monitor was down
    this.agedOut = 0;
    this.deps.metrics.windowSamples.set({ model: this.deps.config.modelLabel }, this.inputs.size);
    if (this.onlineMirror.resuming) void this.untilOnlineResumed();
  }

  /**
   * The resumed detector absorbs what was replayed once its calibration is done, without a word
   * to the main thread: empty batches are posted until it answers, so the gauges, GET /v1/drift and
   * the next snapshot show its state without waiting for traffic.
   */
  private async untilOnlineResumed(): Promise<void> {
    const empty = (cols: number): Matrix => ({ data: new Float64Array(0), rows: 0, cols });
    while (!this.closed && this.onlineMirror.resuming) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (this.closed) return;
      this.feedOnline(empty(this.inputs.cols), this.outputs ? empty(this.outputs.cols) : undefined);
    }
  }

  /**
   * Resumes the online detector exactly: the worker imports the persisted state once its
   * (seeded, hence identical) calibration is done, then absorbs what was pending, then live batches.
   */
  private restoreOnline(p: OnlinePersisted): void {
    const r = p.report;
    this.deps.evaluator.restoreOnline({ samples: r.samples, alarms: r.alarms, lastAlarmAtSample: r.lastAlarmAtSample, statistic: r.statistic, decidedBy: r.decidedBy, rows: p.rows });
    this.onlineMirror.restored(p);
    this.online = r;
    this.deps.metrics.recordOnline(r);
    for (const q of p.pending) {
      if (q.t === 'reset') { this.deps.evaluator.resetOnline(); this.onlineMirror.resetSent(); }
      else this.feedOnline(q.batch.inputs, q.batch.outputs);
    }
  }

  /** Counts a batch that failed validation (emits `rejected`); the windows are not touched. */
  noteRejected(code: string, source: 'api' | 'proxy' | 'cloudevents'): void {
    this.deps.metrics.rejected.inc({ model: this.deps.config.modelLabel, source, code });
    this.emit('rejected', code, source);
  }

  /** Clears the windows, the history and the drift gauges (POST /v1/reset). */
  reset(): void {
    for (const w of [this.inputs, this.times, this.outputs, this.deployed, this.deployedMask, this.labelMask, this.labelAgree]) w?.clear();
    this.agedOut = 0;
    this.history.length = 0;
    this.sinceEvaluation = 0;
    this.lastVerdict = undefined;
    this.traffic.clear();
    this.online = undefined;
    this.deps.evaluator.resetOnline();
    this.onlineMirror.resetSent();
    this.deps.metrics.resetDrift();
    this.health.restart();
    this.staleWithdrawn = false;
    this.deps.metrics.windowSamples.set({ model: this.deps.config.modelLabel }, 0);
    this.sink?.record({ t: 'reset' });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.staleTimer);
    clearTimeout(this.delayed);
  }

  private async runOnce(): Promise<Evaluation | undefined> {
    const { config, metrics, logger } = this.deps;
    this.evictExpired();
    if (this.closed || this.inputs.size < config.minSamples) return undefined;
    this.sinceEvaluation = 0;
    this.agedOut = 0;
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
      this.health.recordSuccess();
      this.staleWithdrawn = false;
      this.history.push(evaluation);
      this.sink?.record({ t: 'eval', evaluation });
      if (this.history.length > config.history) this.history.splice(0, this.history.length - config.history);
      metrics.recordEvaluation(evaluation);
      this.logVerdict(evaluation);
      this.emit('evaluation', evaluation);
      return evaluation;
    } catch (err) {
      if (this.closed) return undefined; // shutting down: the worker was terminated mid-evaluation
      const message = oneLine(err);
      this.health.recordFailure(message);
      metrics.evaluations.inc({ model: config.modelLabel, result: 'error' });
      logger.error({ err: (err as Error)?.stack ?? message, seq, consecutiveFailures: this.health.consecutiveFailures }, 'drift evaluation failed');
      this.emit('evaluationFailed', message);
      return undefined;
    }
  }

  /**
   * A verdict older than `staleAfter` no longer describes the traffic: the drift and parity gauges
   * are withdrawn (an alert must not keep firing on it) until the next successful evaluation.
   */
  private withdrawIfStale(): void {
    if (this.staleWithdrawn || !this.health.stale()) return;
    this.staleWithdrawn = true;
    this.deps.metrics.resetDrift();
    this.deps.logger.warn({ ageSeconds: Math.round(this.health.ageSeconds()), staleAfterMs: this.deps.config.staleAfter }, 'drift verdict is stale: no successful evaluation within staleAfter; drift and parity gauges withdrawn');
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

function sameReference(a: ReferenceSet, b: ReferenceSet): boolean {
  if (a.source !== b.source || a.inputs.rows !== b.inputs.rows || a.inputs.cols !== b.inputs.cols) return false;
  for (let i = 0; i < a.inputs.data.length; i++) if (!Object.is(a.inputs.data[i], b.inputs.data[i])) return false;
  return true;
}

const LABEL_DIFFERS = 1;
const LABEL_AGREES = 2;

/** The label parity rings as one flag per row (0 / LABEL_DIFFERS / LABEL_AGREES). */
function labelFlags(mask: Uint8Array, agree: Uint8Array): Uint8Array {
  return mask.map((m, i) => (m === 0 ? 0 : agree[i] === 1 ? LABEL_AGREES : LABEL_DIFFERS));
}
