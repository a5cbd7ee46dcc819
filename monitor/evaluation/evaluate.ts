import { createKsTest, createMmdTest } from '../drift/index.ts';
import { decideFamily, tailShares, type FamilyMember } from '../drift/family.ts';
import { ksPValueFunction } from '../drift/ks-p-memo.ts';
import { permutedKsStatistics, prepareKsPermutation, type KsPermutationReference } from '../drift/ks-permutation.ts';
import { subsampleRows } from '../drift/drift-test.ts';
import type { Matrix } from '../drift/matrix.ts';
import { drawPermutationPlan, type PermutationPlan } from '../drift/permutation-plan.ts';
import { categoricalTest, column, countMissing, imputedColumns, ksObserved, missingTest, observedMedian, sharesOnPlan, type ShareOf } from '../drift/columns.ts';
import { correct } from '../drift/corrections.ts';
import { computeParity } from './parity.ts';
import type { DriftSettings, EvaluateMessage, Evaluation, ReferenceMessage, StreamDrift } from './types.ts';

type MmdTest = ReturnType<typeof createMmdTest>;
type KsTest = ReturnType<typeof createKsTest>;

/**
 * One stream's tests. KS and MMD run on the numeric columns (`numeric`, indices into the stream's
 * columns), with missing values imputed by the reference median for MMD (and for the prepared
 * KS, whose result is replaced by the observed-values KS on any feature with a missing value);
 * categorical columns get chi-square; every column with a missing value gets the missing-rate test.
 */
interface Stream {
  source: 'inputs' | 'outputs';
  names: readonly string[];
  reference: Matrix;
  numeric: number[];
  categorical: { col: number; name: string; levels: number }[];
  medians: Float64Array;
  refMissing: number[];
  ks: KsTest; mmd: MmdTest; ksPermutation: KsPermutationReference; referenceRows: number;
}

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
    this.inputs = this.stream('inputs', msg.inputs, msg.features, msg.categorical ?? {});
    this.outputs = msg.outputs ? this.stream('outputs', msg.outputs, msg.outputNames, {}) : undefined;
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

  /** The reference's numeric columns with missing values imputed (what the online detector scores). */
  static numericView(reference: Matrix, names: readonly string[], categorical: Readonly<Record<string, number>>): { cols: number[]; medians: Float64Array; view: (m: Matrix) => Matrix } {
    const cols = names.map((_, j) => j).filter((j) => categorical[names[j] as string] === undefined);
    if (cols.length === 0) throw new RangeError('every feature is categorical; KS and MMD need at least one numeric feature');
    const medians = Float64Array.from(cols, (j) => observedMedian(column(reference, j)));
    return { cols, medians, view: (m) => imputedColumns(m, cols, medians) };
  }

  private stream(source: 'inputs' | 'outputs', rawReference: Matrix, names: readonly string[], categoricalLevels: Readonly<Record<string, number>>): Stream {
    const { sigma, sigmaScale, aggregate, permutations, seed, alpha, correction } = this.settings;
    const { cols: numeric, medians, view } = WindowEvaluator.numericView(rawReference, names, categoricalLevels);
    const numericNames = numeric.map((j) => names[j] as string);
    const categorical = names.flatMap((name, col) => (categoricalLevels[name] !== undefined ? [{ col, name, levels: categoricalLevels[name] as number }] : []));
    const refMissing = names.map((_, j) => countMissing(column(rawReference, j)));
    const reference = view(rawReference);
    const bandwidth = {
      ...(sigma != null ? { sigma: typeof sigma === 'number' ? sigma : [...sigma] } : {}),
      ...(sigmaScale != null ? { sigmaScale: [...sigmaScale] } : {}),
      ...(aggregate !== undefined ? { aggregate } : {}),
    };
    // MMD's kernel blocks grow with rows²: both sides are capped at mmdMaxSamples (seeded subsample, reported).
    const mmd = createMmdTest(subsampleRows(reference, this.settings.mmdMaxSamples, seed), { ...bandwidth, permutations, seed, alpha });
    const ks = createKsTest(reference, { alpha, correction, names: numericNames });
    return { source, names, reference: rawReference, numeric, categorical, medians, refMissing, ks, mmd, ksPermutation: prepareKsPermutation(reference), referenceRows: reference.rows };
  }

  /** Runs the stream's tests and appends them to the family (with their permutation p-values for min-p). */
  private drift(stream: Stream, raw: Matrix, shared: { plan: PermutationPlan; ksP: (d: number) => number } | undefined, members: FamilyMember[]): StreamDrift {
    const { correction, alpha } = this.settings;
    const { source } = stream;
    if (raw.cols !== stream.names.length) throw new RangeError(`the ${source} window has ${raw.cols} columns; the reference has ${stream.names.length}`);
    const curMissing = stream.names.map((_, j) => countMissing(column(raw, j)));
    const current = imputedColumns(raw, stream.numeric, stream.medians);
    const ks = stream.ks.test(current);
    const max = this.settings.mmdMaxSamples;
    const subsample = max !== undefined && (current.rows > max || stream.referenceRows > max)
      ? { maxSamples: max, reference: Math.min(max, stream.referenceRows), current: Math.min(max, current.rows) } : undefined;
    const mmd = shared
      ? stream.mmd.testWithPlan(current, shared.plan)
      : { result: stream.mmd.test(subsampleRows(current, max, this.settings.seed + 1)), outcomes: [] };
    const features = ks.features.map((f) => ({ name: f.name, statistic: f.statistic, pValue: f.pValue, drift: f.drift }));
    // Features with a missing value: KS on the observed values (the prepared test saw imputed ones).
    const extra: { member: Omit<FamilyMember, 'shares'>; share: ShareOf; p0: number }[] = [];
    const observedKs = new Map<number, { share: ShareOf; p0: number }>();
    const imputed: string[] = [];
    stream.numeric.forEach((j, k) => {
      if ((stream.refMissing[j] as number) + (curMissing[j] as number) === 0) return;
      const r = ksObserved(column(stream.reference, j), column(raw, j));
      const f = features[k] as (typeof features)[number];
      features[k] = { ...f, statistic: r.statistic, pValue: r.pValue };
      observedKs.set(k, { share: r.share, p0: r.shareOfObserved });
      imputed.push(f.name);
    });
    let ksAdjusted = ks.features.map((f) => f.adjustedPValue);
    let ksDetected = ks.detected;
    if (observedKs.size > 0) {
      const c = correct(features.map((f) => f.pValue), alpha, correction);
      ksAdjusted = c.adjusted;
      features.forEach((f, k) => { features[k] = { ...f, drift: c.rejected[k] === true }; });
      ksDetected = c.rejected.some(Boolean);
    }
    const missing: NonNullable<StreamDrift['missing']>[number][] = [];
    stream.names.forEach((name, j) => {
      if ((stream.refMissing[j] as number) + (curMissing[j] as number) === 0) return;
      const r = missingTest(column(stream.reference, j), column(raw, j));
      missing.push({ name, referenceRate: r.referenceRate, windowRate: r.windowRate, pValue: r.pValue });
      extra.push({ member: { source, test: 'missing', feature: name, pValue: r.pValue }, share: r.share, p0: r.pValue });
    });
    const categorical: NonNullable<StreamDrift['categorical']>[number][] = [];
    for (const c of stream.categorical) {
      const r = categoricalTest(column(stream.reference, c.col), column(raw, c.col), c.levels);
      categorical.push({ name: c.name, chi2: r.chi2, dof: r.dof, pValue: r.pValue, psi: r.psi, unseenCategories: r.unseenCategories });
      extra.push({ member: { source, test: 'chi2', feature: c.name, pValue: r.pValue }, share: r.share, p0: r.pValue });
    }
    if (shared) {
      const { plan, ksP: pOf } = shared;
      const permuted = permutedKsStatistics(stream.ksPermutation, current, plan);
      const cols = features.length;
      const ksOrder = [...observedKs.keys()];
      const onPlan = sharesOnPlan(plan, [...ksOrder.map((k) => (observedKs.get(k) as { share: ShareOf }).share), ...extra.map((e) => e.share)]);
      features.forEach((f, c) => {
        const slot = ksOrder.indexOf(c);
        const shares = slot >= 0 ? onPlan[slot] as Float64Array : new Float64Array(plan.permutations + 1);
        // The observed share is the same function of the data as the permuted ones (asymptotic for observed-values KS).
        shares[0] = slot >= 0 ? (observedKs.get(c) as { p0: number }).p0 : f.pValue;
        if (slot < 0) for (let b = 0; b < plan.permutations; b++) shares[b + 1] = pOf(permuted[b * cols + c] as number);
        members.push({ source, test: 'ks', feature: f.name, pValue: f.pValue, shares });
      });
      extra.forEach((e, h) => {
        const shares = onPlan[ksOrder.length + h] as Float64Array;
        shares[0] = e.p0;
        members.push({ ...e.member, shares });
      });
    } else {
      for (const f of features) members.push({ source, test: 'ks', feature: f.name, pValue: f.pValue });
      for (const e of extra) members.push(e.member);
    }
    members.push({ source, test: 'mmd', pValue: mmd.result.pValue, ...(shared ? { shares: tailShares(mmd.outcomes) } : {}) });
    return {
      source,
      detected: false,
      ks: { correction, detected: ksDetected, pValue: Math.min(1, ...ksAdjusted), features },
      mmd: {
        mmd2: mmd.result.mmd2, pValue: mmd.result.pValue, detected: mmd.result.detected, sigma: [...mmd.result.sigma], permutations: mmd.result.permutations,
        ...(subsample ? { subsample } : {}),
        ...(imputed.length > 0 ? { imputed: { method: 'reference median' as const, features: imputed } } : {}),
      },
      ...(missing.length > 0 ? { missing } : {}),
      ...(categorical.length > 0 ? { categorical } : {}),
    };
  }
}
