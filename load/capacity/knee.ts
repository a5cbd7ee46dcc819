import type { Knee, StepResult } from './types.ts';

/**
 * The knee of the latency–throughput curve by Kneedle (Satopää et al., 2011): normalise achieved
 * QPS and P99 to [0, 1] over the steps (sorted by offered load), and take the point farthest
 * below the diagonal, where latency is still low relative to the throughput reached. For an
 * increasing convex curve that is the point of maximum curvature. Needs 3 steps with distinct values.
 */
export function findKnee(steps: readonly StepResult[]): Knee | null {
  const pts = steps.filter((s) => s.requests > 0 && !s.aborted && !s.superseded)
    .map((s) => ({ s, x: s.achievedQps, y: s.latencyMs.p99 }))
    .sort((a, b) => a.s.offeredRate - b.s.offeredRate);
  if (pts.length < 3) return null;
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const [xMin, xMax, yMin, yMax] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (xMax === xMin || yMax === yMin) return null;
  let best: (typeof pts)[number] | undefined;
  let bestD = -Infinity;
  for (const p of pts) {
    const d = (p.x - xMin) / (xMax - xMin) - (p.y - yMin) / (yMax - yMin);
    if (d > bestD) { bestD = d; best = p; }
  }
  if (!best || bestD <= 0) return null;
  return { offeredRate: best.s.offeredRate, achievedQps: best.x, latencyMs: best.y, metric: 'p99', method: 'kneedle' };
}
