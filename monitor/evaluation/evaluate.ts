import { createKsTest, createMmdTest } from '../drift/index.ts';
import { decideFamily, tailShares, type FamilyMember } from '../drift/family.ts';
import { ksPValueFunction } from '../drift/ks-p-memo.ts';
import { permutedKsStatistics, prepareKsPermutation, type KsPermutationReference } from '../drift/ks-permutation.ts';
import { subsampleRows } from '../drift/drift-test.ts';
import type { Matrix } from '../drift/matrix.ts';
import { drawPermutationPlan, type PermutationPlan } from '../drift/permutation-plan.ts';
import { computeParity } from './parity.ts';
import type { DriftSettings, EvaluateMessage, Evaluation, ReferenceMessage, StreamDrift } from './types.ts';

type MmdTest = ReturnType<typeof createMmdTest>;
type KsTest = ReturnType<typeof createKsTest>;

interface Stream { source: 'inputs' | 'outputs'; ks: KsTest; mmd: MmdTest; ksPermutation: KsPermutationReference; referenceRows: number }

/**
 * The evaluation state held inside the worker: the reference matrices and their KS and MMD
 * tests, whose reference side (sorted, indexed columns; the reference kernel block) is computed
 * once per reference set, not once per evaluation. Every test of both streams joins one family
 * (drift/family.ts) whose p-value decides `drift`; with `family: minp` they all run on one
 * permutation plan per evaluation.
 * Pure computation, no I/O; the main thread only sends snapshots and receives results.
 */
export class WindowEvaluator {
  private readonly settings: DriftSettings;
  private readonly inputs: Stream;
  private readonly outputs: Stream | undefined;
  /** The plan and KS p-value function depend only on (seed, n, m): kept while the window size holds. */
  private cached: { m: number; plan: PermutationPlan; ksP: (d: number) => number } | undefined;

  constructor(msg: ReferenceMessage) {
    this.settings = msg.settings;
    this.inputs = this.stream('inputs', msg.inputs, msg.features);
    this.outputs = msg.outputs ? this.stream('outputs', msg.outputs, msg.outputNames) : undefined;
  }

  evaluate(msg: EvaluateMessage): Evaluation {
    const started = performance.now();
    const { alpha, family = 'minp', seed, permutations, mmdMaxSamples: max } = this.settings;
    const n = this.inputs.ksPermutation.n;
    const m = msg.inputs.rows;
    // Min-p runs every test on one permutation plan of the full pooled sample; when MMD subsamples
    // (either side above mmdMaxSamples) it draws its own permutations, so the family is decided by Holm.
    const subsampling = max !== undefined && (n > max || m > max);
    const method = subsampling ? 'holm' : family;
    let shared: { plan: PermutationPlan; ksP: (d: number) => number } | undefined;
    if (method === 'minp') {
      if (this.cached?.m !== m) this.cached = { m, plan: drawPermutationPlan(seed, n, m, permutations), ksP: ksPValueFunction(n, m) };
      shared = this.cached;
    }
    const members: FamilyMember[] = [];
    const inputs = this.drift(this.inputs, msg.inputs, shared, members);
    const outputs = this.outputs && msg.outputs ? this.drift(this.outputs, msg.outputs, shared, members) : undefined;
    const decision = decideFamily(members, alpha, method);
    const parity = msg.deployed && msg.outputs && msg.deployedMask
      ? computeParity(msg.deployed, msg.outputs, msg.deployedMask, this.settings.parityTolerance)
      : undefined;
    const attributed = (s: StreamDrift): StreamDrift => ({ ...s, detected: decision.drift && decision.decidedBy.source === s.source });
    const durationMs = performance.now() - started;
    return {
      seq: msg.seq,
      at: new Date().toISOString(),
      windowSamples: msg.inputs.rows,
      durationMs,
      drift: decision.drift,
      family: decision,
      inputs: attributed(inputs),
      ...(outputs ? { outputs: attributed(outputs) } : {}),
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
    return { source, ks, mmd, ksPermutation: prepareKsPermutation(reference), referenceRows: reference.rows };
  }

  /** Runs the stream's tests and appends them to the family (with their permutation p-values for min-p). */
  private drift(stream: Stream, current: Matrix, shared: { plan: PermutationPlan; ksP: (d: number) => number } | undefined, members: FamilyMember[]): StreamDrift {
    const { correction } = this.settings;
    const { source } = stream;
    const ks = stream.ks.test(current);
    const max = this.settings.mmdMaxSamples;
    const subsample = max !== undefined && (current.rows > max || stream.referenceRows > max)
      ? { maxSamples: max, reference: Math.min(max, stream.referenceRows), current: Math.min(max, current.rows) } : undefined;
    const mmd = shared
      ? stream.mmd.testWithPlan(current, shared.plan)
      : { result: stream.mmd.test(subsampleRows(current, max, this.settings.seed + 1)), outcomes: [] };
    const features = ks.features.map((f) => ({ name: f.name, statistic: f.statistic, pValue: f.pValue, drift: f.drift }));
    if (shared) {
      const { plan, ksP: pOf } = shared;
      const permuted = permutedKsStatistics(stream.ksPermutation, current, plan);
      const cols = features.length;
      features.forEach((f, c) => {
        const shares = new Float64Array(plan.permutations + 1);
        shares[0] = f.pValue;
        for (let b = 0; b < plan.permutations; b++) shares[b + 1] = pOf(permuted[b * cols + c] as number);
        members.push({ source, test: 'ks', feature: f.name, pValue: f.pValue, shares });
      });
    } else {
      for (const f of features) members.push({ source, test: 'ks', feature: f.name, pValue: f.pValue });
    }
    members.push({ source, test: 'mmd', pValue: mmd.result.pValue, ...(shared ? { shares: tailShares(mmd.outcomes) } : {}) });
    return {
      source,
      detected: false,
      ks: { correction, detected: ks.detected, pValue: Math.min(1, ...ks.features.map((f) => f.adjustedPValue)), features },
      mmd: { mmd2: mmd.result.mmd2, pValue: mmd.result.pValue, detected: mmd.result.detected, sigma: [...mmd.result.sigma], permutations: mmd.result.permutations, ...(subsample ? { subsample } : {}) },
    };
  }
}
