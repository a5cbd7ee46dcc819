import { judgeStep, primaryFailure, type Criteria } from './judge.ts';
import type { StepMeasurement, StepPhase, StepResult, StopReason } from './types.ts';

export interface SearchOptions extends Criteria {
  startRate: number;
  maxRate: number;
  /** Each climbing step offers `growth` × the previous one (1.5 = +50 %). */
  growth: number;
  /** Bisection steps between the last good and the first bad step, at most. */
  refinements: number;
  /** Stop bisecting once (bad − good) / good is below this fraction. */
  resolution: number;
  /** Halvings below the start rate when the very first step fails. */
  probeDown: number;
  /** A failing step is run again this many times and only counts if it fails every time (noise on shared machines). */
  confirmFailures: number;
  /** Connections mode: a step whose achieved QPS grew by less than this fraction over the previous good step is saturated. */
  minGrowth: number;
}

export type RunStep = (offered: number) => Promise<StepMeasurement>;

export interface SearchOutcome {
  steps: StepResult[];
  stopReason: StopReason;
  /** The best good step (highest achieved QPS), or undefined when none met the criteria. */
  best: StepResult | undefined;
  aborted: boolean;
}

/**
 * The capacity search, a pure decision procedure over step results (the runner is injected):
 *   1. climb: start, start×growth, … up to maxRate, until a step fails (or maxRate passes);
 *   2. refine: bisect between the last good and the first bad offered load;
 *   3. if the very first step fails, probe down by halving, so "no load meets the SLO" is only
 *      said after trying well below the start.
 * A failing step is confirmed by running it again (`confirmFailures`); only a repeated failure counts.
 * Rates in connections mode are rounded to whole connections.
 */
export interface SearchHooks {
  isAborted?: () => boolean;
  /** Called as each step is judged (live progress). */
  onStep?: (step: StepResult, index: number) => void;
}

export async function searchCapacity(runStep: RunStep, o: SearchOptions, hooks: SearchHooks = {}): Promise<SearchOutcome> {
  const isAborted = hooks.isAborted ?? (() => false);
  const steps: StepResult[] = [];
  const round = (r: number): number => (o.mode === 'connections' ? Math.max(1, Math.round(r)) : Number(r.toPrecision(4)));
  let lastGood: StepResult | undefined;

  const run = async (offered: number, phase: StepPhase): Promise<StepResult | undefined> => {
    let step = await runOnce(offered, phase);
    for (let i = 0; i < o.confirmFailures && step && !step.ok; i++) {
      step.superseded = true;
      step = await runOnce(offered, 'confirm');
    }
    return step;
  };

  const runOnce = async (offered: number, phase: StepPhase): Promise<StepResult | undefined> => {
    if (isAborted()) return undefined;
    const m = await runStep(offered);
    const failures = judgeStep(m, o);
    if (o.mode === 'connections' && lastGood && failures.length === 0 && m.achievedQps < lastGood.achievedQps * (1 + o.minGrowth) && offered > lastGood.offeredRate) {
      failures.push('saturation');
    }
    const step: StepResult = { ...m, phase, ok: failures.length === 0, failures };
    steps.push(step);
    hooks.onStep?.(step, steps.length - 1);
    if (m.aborted) return undefined;
    return step;
  };

  // 1. climb
  let firstBad: StepResult | undefined;
  let offered = round(o.startRate);
  for (;;) {
    const step = await run(offered, 'climb');
    if (!step) return finish(steps, 'aborted');
    if (!step.ok) { firstBad = step; break; }
    lastGood = step;
    if (offered >= o.maxRate) return finish(steps, 'max-rate');
    const next = round(Math.min(o.maxRate, offered * o.growth));
    offered = next > offered ? next : round(offered + 1);
  }
  const stopReason = primaryFailure(firstBad.failures) as StopReason;

  // 3. the first step failed: probe below it
  if (!lastGood) {
    let hi = firstBad.offeredRate;
    for (let i = 0; i < o.probeDown && !lastGood; i++) {
      const lower = round(hi / 2);
      if (lower >= hi) break;
      const step = await run(lower, 'probe-down');
      if (!step) return finish(steps, 'aborted');
      if (step.ok) lastGood = step;
      else hi = lower;
    }
    if (!lastGood) return finish(steps, stopReason);
    firstBad = steps.filter((s) => !s.ok && !s.superseded && s.offeredRate > (lastGood as StepResult).offeredRate).sort((a, b) => a.offeredRate - b.offeredRate)[0] ?? firstBad;
  }

  // 2. refine by bisection
  let lo = lastGood.offeredRate;
  let hi = firstBad.offeredRate;
  for (let i = 0; i < o.refinements && (hi - lo) / lo > o.resolution; i++) {
    const mid = round((lo + hi) / 2);
    if (mid <= lo || mid >= hi) break;
    const step = await run(mid, 'refine');
    if (!step) return finish(steps, 'aborted');
    if (step.ok) lo = mid;
    else hi = mid;
  }
  return finish(steps, stopReason);
}

function finish(steps: StepResult[], stopReason: StopReason): SearchOutcome {
  const good = steps.filter((s) => s.ok && !s.aborted);
  const best = good.reduce<StepResult | undefined>((b, s) => (!b || s.achievedQps > b.achievedQps ? s : b), undefined);
  return { steps, stopReason, best, aborted: stopReason === 'aborted' };
}
