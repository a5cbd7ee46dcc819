import type { LatencySummaryMs } from '../result.ts';

export const CAPACITY_RESULT_SCHEMA = 'vigil.capacity.result/v1';

/** Why the search stopped climbing: the bottleneck signal of the first failing step, or the ceiling. */
export type StopReason = 'slo' | 'errors' | 'saturation' | 'max-rate' | 'aborted';
/** What a failing step broke. */
export type StepFailure = 'slo' | 'errors' | 'saturation';
/** Where a step came from: the climb, a re-run confirming a failure, the bisection between the last good and first bad, or probing below the start. */
export type StepPhase = 'climb' | 'refine' | 'probe-down' | 'confirm';

/** What one step measured (filled from a LoadResult, or by a fake in tests). Units: ms, req/s, fractions. */
export interface StepMeasurement {
  /** Offered load: arrival rate (req/s) in rate mode, connections in connections mode. */
  offeredRate: number;
  achievedQps: number;
  requests: number;
  latencyMs: LatencySummaryMs;
  /** errors / requests, a fraction. */
  errorRate: number;
  droppedIterations: number;
  /** Outcome of each SLO expression on this step (from the load engine's threshold evaluation). */
  slo: { expr: string; ok: boolean; value: number }[];
  aborted?: boolean;
  /** LLM answers of the step (streams, goodput), when it saw any. */
  stream?: StepStream;
}

/** What a step measured of LLM answers: ms, tokens/s, req/s; attainment a fraction. */
export interface StepStream {
  ttftMs: { p50: number; p99: number };
  tpotMs: { p50: number; p99: number };
  outputTokensPerS: number;
  goodputPerS?: number;
  attainment?: number;
}

export interface StepResult extends StepMeasurement {
  phase: StepPhase;
  ok: boolean;
  failures: StepFailure[];
  /** A failure that was run again (the re-run follows it and decides). */
  superseded?: boolean;
}

export interface Knee {
  /** Index into `steps` (sorted by offered load) of the knee. */
  offeredRate: number;
  achievedQps: number;
  latencyMs: number;
  /** Which latency the knee was found on. */
  metric: 'p99';
  method: 'kneedle';
}

export interface Replicas {
  peakQps: number;
  /** Fraction, 0.3 = 30 % spare capacity over the peak. */
  headroom: number;
  /** ceil(peakQps × (1 + headroom) / maxSustainableQps); null when no load met the SLO. */
  count: number | null;
  assumption: string;
}

export interface CapacityResult {
  schema: typeof CAPACITY_RESULT_SCHEMA;
  target: string;
  startedAt: string;
  endedAt: string;
  aborted: boolean;
  mode: 'rate' | 'connections';
  slo: string[];
  /** With per-request SLOs: the share of arrivals that must meet them for a step to pass. */
  minAttainment?: number;
  maxErrorRate: number;
  /** Highest achieved QPS over the steps that met every criterion; null when none did. */
  maxSustainableQps: number | null;
  /** Offered load of that step. */
  maxSustainableOffered: number | null;
  noLoadMeetsSlo: boolean;
  stopReason: StopReason;
  /** Steps in the order they ran. */
  steps: StepResult[];
  knee: Knee | null;
  replicas: Replicas | null;
  config: { startRate: number; maxRate: number; stepDurationS: number; settleS: number; growth: number; refinements: number; resolution: number };
}
