/**
 * Assembles the `vigil.load.result/v1` object from the recorder at the end of a run
 * (also of an aborted one: whatever was measured is in it) and evaluates the thresholds.
 */
import { encodeHistogram, summarizeHistogram } from './histogram.ts';
import { evaluateThresholds } from './thresholds.ts';
import { LOAD_RESULT_SCHEMA, type LoadConfigEcho, type LoadResult } from './result.ts';
import { DEFAULTS, type LoadOptions } from './options.ts';
import { connectionsPerOrigin, isGrpcTarget } from './open-transport.ts';
import type { Recorder } from './recorder.ts';

export interface ResultInput {
  options: LoadOptions;
  recorder: Recorder;
  startedAt: Date;
  endedAt: Date;
  aborted: boolean;
  /** From the end of warmup to the later of "sending stopped" and the last completion, ms. */
  measuredMs: number;
  /** From the end of warmup to when sending stopped, ms. */
  sendingMs: number;
  /** Arrivals due after warmup (sent or dropped). */
  offeredMeasured: number;
  /** Constant offered rate when known; undefined = derive from arrivals; null = closed model. */
  offeredRate: number | null | undefined;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function buildResult(input: ResultInput): LoadResult {
  const { options: o, recorder } = input;
  const durationS = input.measuredMs / 1000;
  const offeredRate = input.offeredRate === undefined
    ? (input.sendingMs > 0 ? r3(input.offeredMeasured / (input.sendingMs / 1000)) : 0)
    : input.offeredRate;
  const config: LoadConfigEcho = {
    model: o.model,
    rate: o.rate ?? null,
    connections: o.connections ?? null,
    durationS: o.durationMs !== undefined ? o.durationMs / 1000 : null,
    warmupS: o.warmupMs / 1000,
    requests: o.requests ?? null,
    timeoutS: o.timeoutMs / 1000,
    maxInFlight: o.maxInFlight,
    maxConnections: o.model === 'closed' && !o.http2 && !isGrpcTarget(o.target) ? null : connectionsPerOrigin(o),
    source: o.source.description,
  };
  if (o.source.skipped) config['harSkipped'] = { ...o.source.skipped };
  if (o.http2) { config['http2'] = true; config['maxStreams'] = o.maxStreams ?? DEFAULTS.maxStreams; }
  if (o.stages) config['stages'] = o.stages.map((s) => ({ durationS: s.durationMs / 1000, target: s.target }));
  if (o.model === 'original') { config['speed'] = o.speed ?? 1; config['loop'] = o.loop ?? false; }
  if (o.scenario) config['scenario'] = o.scenario;
  if (o.arrival) { config['arrival'] = o.arrival.kind; config['burstiness'] = o.arrival.burstiness; config['seed'] = o.arrival.seed; }
  if (o.slo && o.slo.length > 0) config['slo'] = [...o.slo];
  if (o.deadlineMs !== undefined) config['deadlineS'] = o.deadlineMs / 1000;
  const result: LoadResult = {
    schema: LOAD_RESULT_SCHEMA,
    target: o.target,
    startedAt: input.startedAt.toISOString(),
    endedAt: input.endedAt.toISOString(),
    aborted: input.aborted,
    config,
    summary: {
      requests: recorder.requests,
      durationS: r3(durationS),
      qps: durationS > 0 ? r3(recorder.requests / durationS) : 0,
      successQps: 0,
      offeredRate,
      latencyMs: recorder.latency(),
      errors: recorder.errorSummary(),
      status: { ...recorder.status },
      bytesIn: recorder.bytesIn,
      bytesOut: recorder.bytesOut,
      droppedIterations: recorder.droppedIterations,
    },
    intervals: recorder.intervalSummaries(Math.ceil(input.sendingMs / 1000)),
    endpoints: recorder.endpointSummaries(durationS),
    histogram: encodeHistogram(recorder.overall),
    thresholds: [],
  };
  result.summary.successQps = durationS > 0 ? r3((recorder.requests - result.summary.errors.total) / durationS) : 0;
  if (recorder.lateness.totalCount > 0) {
    const l = summarizeHistogram(recorder.lateness);
    // How late the generator fired arrivals (open models); already included in every latency.
    result.summary.schedulerLatenessMs = { p50: l.p50, p99: l.p99, max: l.max };
  }
  if (recorder.sendDelay.totalCount > 0) {
    const d = summarizeHistogram(recorder.sendDelay);
    result.summary.sendDelayMs = { p50: d.p50, p99: d.p99, max: d.max };
  }
  if (recorder.stream.seen) result.summary.stream = recorder.stream.overall.summary(durationS);
  if (o.slo && o.slo.length > 0) {
    const arrivals = recorder.requests + recorder.droppedIterations;
    result.summary.goodput = { slo: [...o.slo], requests: recorder.good, perS: durationS > 0 ? r3(recorder.good / durationS) : 0, attainment: arrivals > 0 ? recorder.good / arrivals : 0 };
  }
  result.thresholds = evaluateThresholds(result, o.thresholds);
  return result;
}
