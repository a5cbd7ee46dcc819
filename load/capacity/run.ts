import { runLoad, type LoadOptions, type LoadResult } from '../index.ts';
import { assembleCapacityResult } from './assemble.ts';
import { isPerRequestSlo } from '../goodput.ts';
import type { CapacityOptions } from './options.ts';
import { searchCapacity, type RunStep } from './search.ts';
import type { CapacityResult, StepMeasurement, StepResult, StepStream } from './types.ts';

export interface CapacityHooks {
  signal?: AbortSignal;
  /** Called after each step with the step as judged. */
  onStep?: (step: StepResult, index: number) => void;
}

/** The load options of one step: the base source/target, an open rate (or closed connections), the step's duration and settle time, the SLO as thresholds. */
export function stepLoadOptions(o: CapacityOptions, offered: number): LoadOptions {
  const { rate: _r, connections: _c, stages: _s, startRate: _sr, speed: _sp, loop: _l, requests: _q, ...rest } = o.base;
  const model = o.search.mode === 'rate' ? { model: 'open' as const, rate: offered } : { model: 'closed' as const, connections: offered };
  const thresholds = o.slo.filter((e) => !isPerRequestSlo(e));
  if (o.goodputSlo.length > 0) thresholds.push(attainmentThreshold(o.minAttainment));
  return { ...rest, ...model, durationMs: o.stepDurationMs, warmupMs: o.settleMs, thresholds, slo: [...o.goodputSlo], progress: 'none' };
}

/** The threshold a step with per-request SLOs must pass: `slo_attainment>=95%`. */
export function attainmentThreshold(min: number): string {
  return `slo_attainment>=${Number((min * 100).toFixed(4))}%`;
}

/**
 * What a step measured, from the load engine's result. The engine's QPS divides by the measured
 * time up to the last completion, so a step of T seconds whose last response takes L ms reads
 * λ·T/(T+L): on 1 s steps that alone looks like saturation. The part of that tail no response can
 * beat (the fastest latency of the step) is taken off; a real backlog still shows in full.
 */
export function measureStep(offered: number, r: LoadResult, stepDurationMs: number): StepMeasurement {
  const measuredS = r.summary.durationS;
  const tailS = Math.max(0, measuredS - stepDurationMs / 1000);
  const correctedS = measuredS - Math.min(tailS, r.summary.latencyMs.min / 1000);
  const achievedQps = r.aborted || correctedS <= 0 ? r.summary.qps : r.summary.requests / correctedS;
  return {
    offeredRate: offered,
    achievedQps: Math.round(achievedQps * 1000) / 1000,
    requests: r.summary.requests,
    latencyMs: r.summary.latencyMs,
    errorRate: r.summary.errors.rate,
    droppedIterations: r.summary.droppedIterations,
    slo: r.thresholds.map((t) => ({ expr: t.expr, ok: t.ok, value: t.value })),
    aborted: r.aborted,
    ...(r.summary.stream || r.summary.goodput ? { stream: stepStream(r) } : {}),
  };
}

function stepStream(r: LoadResult): StepStream {
  const st = r.summary.stream;
  const out: StepStream = {
    ttftMs: { p50: st?.ttftMs.p50 ?? 0, p99: st?.ttftMs.p99 ?? 0 },
    tpotMs: { p50: st?.tpotMs.p50 ?? 0, p99: st?.tpotMs.p99 ?? 0 },
    outputTokensPerS: st?.outputTokensPerS ?? 0,
  };
  if (r.summary.goodput) { out.goodputPerS = r.summary.goodput.perS; out.attainment = r.summary.goodput.attainment; }
  return out;
}

/** Binds the pure capacity search to the load engine: each step is one runLoad. */
export async function runCapacity(o: CapacityOptions, hooks: CapacityHooks = {}): Promise<CapacityResult> {
  const startedAt = new Date().toISOString();
  const runStep: RunStep = async (offered) => {
    const result = await runLoad(stepLoadOptions(o, offered), { ...(hooks.signal ? { signal: hooks.signal } : {}) });
    return measureStep(offered, result, o.stepDurationMs);
  };
  const outcome = await searchCapacity(runStep, o.search, {
    isAborted: () => hooks.signal?.aborted ?? false,
    ...(hooks.onStep ? { onStep: hooks.onStep } : {}),
  });
  return assembleCapacityResult(outcome, {
    target: o.base.target, startedAt, endedAt: new Date().toISOString(), slo: o.slo, search: o.search,
    ...(o.goodputSlo.length > 0 ? { minAttainment: o.minAttainment } : {}),
    stepDurationS: o.stepDurationMs / 1000, settleS: o.settleMs / 1000, ...(o.peak ? { peak: o.peak } : {}),
  });
}
