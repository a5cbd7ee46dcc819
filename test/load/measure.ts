import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

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

/**
 * The open-model schedule of the minimal reference clients: call `send` `n` times at `rate` per
 * second from 50 ms ahead (each at its intended start, however late the previous ones run) and
 * return each latency from the intended start to its completion, in completion order. `lateness`
 * receives how late each send left its intended start.
 */
export async function openLoopLatencies(rate: number, n: number, send: () => Promise<unknown>, lateness: number[] = []): Promise<number[]> {
  const latencies: number[] = [];
  const t0 = performance.now() + 50;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const intended = t0 + (i * 1000) / rate;
    while (performance.now() < intended) await new Promise((r) => setTimeout(r, intended - performance.now()));
    lateness.push(performance.now() - intended);
    pending.push(send().then(() => { latencies.push(performance.now() - intended); }));
  }
  await Promise.all(pending);
  return latencies;
}
