import type { StepFailure, StepMeasurement } from './types.ts';

export interface Criteria {
  maxErrorRate: number;
  /** achieved / offered below this is saturation (rate mode). Default 0.95. */
  saturationRatio: number;
  mode: 'rate' | 'connections';
}

/**
 * What a step broke. Saturation in rate mode: achieved < ratio × offered (by more than one
 * request's worth, so a short step at a low rate is not judged on rounding), or any dropped
 * iteration (the generator hit max in-flight because responses stopped coming back). In
 * connections mode offered is a concurrency, so saturation is judged by the search (throughput
 * no longer grows), not here.
 */
export function judgeStep(m: StepMeasurement, c: Criteria): StepFailure[] {
  const failures: StepFailure[] = [];
  if (m.slo.some((s) => !s.ok)) failures.push('slo');
  if (m.errorRate > c.maxErrorRate) failures.push('errors');
  if (c.mode === 'rate' && (shortOfOffered(m, c.saturationRatio) || m.droppedIterations > 0)) failures.push('saturation');
  return failures;
}

/** The bottleneck signal reported when several criteria break at once: errors, then saturation, then SLO. */
export function primaryFailure(failures: StepFailure[]): StepFailure | undefined {
  for (const f of ['errors', 'saturation', 'slo'] as const) if (failures.includes(f)) return f;
  return undefined;
}

/** achieved < ratio × offered, with one request of slack: (requests + 1) / duration < ratio × offered. */
function shortOfOffered(m: StepMeasurement, ratio: number): boolean {
  if (m.requests === 0) return m.offeredRate > 0;
  return (m.achievedQps * (m.requests + 1)) / m.requests < ratio * m.offeredRate;
}
