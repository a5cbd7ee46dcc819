import { createKsTest, createMmdTest } from '../drift/index.ts';
import { subsampleRows } from '../drift/drift-test.ts';
import type { Matrix } from '../drift/matrix.ts';
import { computeParity } from './parity.ts';
import type { DriftSettings, EvaluateMessage, Evaluation, ReferenceMessage, StreamDrift } from './types.ts';

type MmdTest = ReturnType<typeof createMmdTest>;
type KsTest = ReturnType<typeof createKsTest>;

interface Stream { source: 'inputs' | 'outputs'; ks: KsTest; mmd: MmdTest; referenceRows: number }

/**
 * The evaluation state held inside the worker: the reference matrices and their KS and MMD
 * tests, whose reference side (sorted, indexed columns; the reference kernel block) is computed
 * once per reference set, not once per evaluation.
 * Pure computation, no I/O; the main thread only sends snapshots and receives results.
 */
export class WindowEvaluator {
  private readonly settings: DriftSettings;
  private readonly inputs: Stream;
  private readonly outputs: Stream | undefined;

  constructor(msg: ReferenceMessage) {
    this.settings = msg.settings;
    this.inputs = this.stream('inputs', msg.inputs, msg.features);
    this.outputs = msg.outputs ? this.stream('outputs', msg.outputs, msg.outputNames) : undefined;
  }

  evaluate(msg: EvaluateMessage): Evaluation {
    const started = performance.now();
    const inputs = this.drift(this.inputs, msg.inputs);
    const outputs = this.outputs && msg.outputs ? this.drift(this.outputs, msg.outputs) : undefined;
    const parity = msg.deployed && msg.outputs && msg.deployedMask
      ? computeParity(msg.deployed, msg.outputs, msg.deployedMask, this.settings.parityTolerance)
      : undefined;
    const durationMs = performance.now() - started;
    return {
      seq: msg.seq,
      at: new Date().toISOString(),
      windowSamples: msg.inputs.rows,
      durationMs,
      drift: inputs.detected || (outputs?.detected ?? false),
      inputs,
      ...(outputs ? { outputs } : {}),
      ...(parity ? { parity } : {}),
    };
  }

  private stream(source: 'inputs' | 'outputs', reference: Matrix, names: readonly string[]): Stream {
    const { sigma, sigmaScale, aggregate, permutations, seed, alpha, correction } = this.settings;
    const bandwidth = {
      ...(sigma != null ? { sigma: typeof sigma === 'number' ? sigma : [...sigma] } : {}),
      ...(sigmaScale != null ? { sigmaScale: [...sigmaScale] } : {}),
      ...(aggregate !== undefined ? { aggregate } : {}),
    };
    // MMD's kernel blocks grow with rows²: both sides are capped at mmdMaxSamples (seeded subsample, reported).
    const mmd = createMmdTest(subsampleRows(reference, this.settings.mmdMaxSamples, seed), { ...bandwidth, permutations, seed, alpha });
    const ks = createKsTest(reference, { alpha, correction, names: [...names] });
    return { source, ks, mmd, referenceRows: reference.rows };
  }

  private drift(stream: Stream, current: Matrix): StreamDrift {
    const { correction } = this.settings;
    const ks = stream.ks.test(current);
    const max = this.settings.mmdMaxSamples;
    const mmd = stream.mmd.test(subsampleRows(current, max, this.settings.seed + 1));
    const subsample = max !== undefined && (current.rows > max || stream.referenceRows > max)
      ? { maxSamples: max, reference: Math.min(max, stream.referenceRows), current: Math.min(max, current.rows) } : undefined;
    const features = ks.features.map((f) => ({ name: f.name, statistic: f.statistic, pValue: f.pValue, drift: f.drift }));
    return {
      source: stream.source,
      detected: ks.detected || mmd.detected,
      ks: { correction, detected: ks.detected, pValue: Math.min(1, ...ks.features.map((f) => f.adjustedPValue)), features },
      mmd: { mmd2: mmd.mmd2, pValue: mmd.pValue, detected: mmd.detected, sigma: [...mmd.sigma], permutations: mmd.permutations, ...(subsample ? { subsample } : {}) },
    };
  }
}
