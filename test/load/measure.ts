import { cpus, loadavg } from 'node:os';

/** Nearest-rank percentile (what HdrHistogram reports, up to its 0.1 % resolution). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * Whether millisecond-level bounds can be asserted: always in CI (the suite runs alone there);
 * elsewhere only when the machine is not oversubscribed (1-minute load average ≤ core count).
 * On a shared, overloaded machine the scheduler of the OS adds tens of ms to every process, and
 * tests then report their measurements loudly instead of asserting them.
 */
export function strictTiming(): { strict: boolean; why: string } {
  const load = loadavg()[0] ?? 0;
  const cores = cpus().length;
  if (process.env['CI'] === 'true') return { strict: true, why: 'CI' };
  return { strict: load <= cores, why: `load average ${load.toFixed(1)} on ${cores} cores` };
}
