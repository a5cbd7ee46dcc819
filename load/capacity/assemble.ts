import { findKnee } from './knee.ts';
import { replicasFor } from './replicas.ts';
import type { SearchOptions, SearchOutcome } from './search.ts';
import { CAPACITY_RESULT_SCHEMA, type CapacityResult } from './types.ts';

export interface AssembleInput {
  target: string;
  startedAt: string;
  endedAt: string;
  slo: string[];
  minAttainment?: number;
  search: SearchOptions;
  stepDurationS: number;
  settleS: number;
  peak?: { peakQps: number; headroom: number };
}

/** Turns a search outcome into the `vigil.capacity.result/v1` document (pure). */
export function assembleCapacityResult(outcome: SearchOutcome, input: AssembleInput): CapacityResult {
  const max = outcome.best ? round2(outcome.best.achievedQps) : null;
  const o = input.search;
  return {
    schema: CAPACITY_RESULT_SCHEMA,
    target: input.target,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    aborted: outcome.aborted,
    mode: o.mode,
    slo: input.slo,
    ...(input.minAttainment !== undefined ? { minAttainment: input.minAttainment } : {}),
    maxErrorRate: o.maxErrorRate,
    maxSustainableQps: max,
    maxSustainableOffered: outcome.best?.offeredRate ?? null,
    noLoadMeetsSlo: !outcome.aborted && !outcome.best,
    stopReason: outcome.stopReason,
    steps: outcome.steps,
    knee: findKnee(outcome.steps),
    replicas: input.peak ? replicasFor(input.peak.peakQps, input.peak.headroom, max) : null,
    config: {
      startRate: o.startRate, maxRate: o.maxRate, stepDurationS: input.stepDurationS, settleS: input.settleS,
      growth: o.growth, refinements: o.refinements, resolution: o.resolution,
    },
  };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
