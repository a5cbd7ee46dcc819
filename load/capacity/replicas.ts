import type { Replicas } from './types.ts';

export const LINEAR_SCALING_ASSUMPTION =
  'throughput is assumed to scale linearly with replicas (each replica sustains the measured max QPS under the SLO, ' +
  'the load balancer spreads load evenly, and shared dependencies such as databases or GPUs do not saturate first)';

/** Replicas for a peak: ceil(peak × (1 + headroom) / per-replica max sustainable QPS). */
export function replicasFor(peakQps: number, headroom: number, maxSustainableQps: number | null): Replicas {
  const count = maxSustainableQps && maxSustainableQps > 0 ? Math.max(1, Math.ceil((peakQps * (1 + headroom)) / maxSustainableQps - 1e-9)) : null;
  return { peakQps, headroom, count, assumption: LINEAR_SCALING_ASSUMPTION };
}
