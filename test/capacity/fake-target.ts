import type { RunStep } from '../../load/capacity/search.ts';
import type { StepMeasurement } from '../../load/capacity/types.ts';

/**
 * A model of a target for the pure search tests: capacity C req/s, latency at utilisation ρ of
 * S/sqrt(1−ρ) (any increasing convex curve would do), unbounded past C; the SLO is evaluated here.
 */
export function fakeTarget(opts: { capacity: number; serviceMs: number; sloP99Ms: number; errorAbove?: number; mode?: 'rate' | 'connections' }): RunStep & { offered: number[] } {
  const offered: number[] = [];
  const fn = async (load: number): Promise<StepMeasurement> => {
    offered.push(load);
    const rate = opts.mode === 'connections' ? load * (1000 / opts.serviceMs) : load;
    const rho = rate / opts.capacity;
    const achieved = Math.min(rate, opts.capacity);
    const p99 = rho < 1 ? opts.serviceMs / Math.sqrt(1 - rho) : 60_000;
    const errorRate = opts.errorAbove !== undefined && rate > opts.errorAbove ? 0.2 : 0;
    return {
      offeredRate: load, achievedQps: achieved, requests: Math.round(achieved * 2), errorRate, droppedIterations: 0,
      latencyMs: { min: opts.serviceMs, mean: p99 / 2, p50: p99 / 2, p90: p99 * 0.8, p95: p99 * 0.9, p99, p999: p99, max: p99 },
      slo: [{ expr: `p99<${opts.sloP99Ms}ms`, ok: p99 < opts.sloP99Ms, value: p99 }],
    };
  };
  return Object.assign(fn, { offered });
}
