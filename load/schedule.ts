/**
 * Arrival schedules of the open workload models: pure functions from an arrival index to its
 * intended start time (milliseconds since the start of the run). No clocks, no I/O — the
 * engine asks "when should arrival i start?" and the tests check the answers exactly.
 */

import type { Stage } from './options.ts';

/** An arrival schedule: intended start of arrival i in ms, or undefined when the schedule has ended. */
export interface ArrivalSchedule {
  /** Intended start time of arrival `i` (0-based), ms since run start; undefined after the last one. */
  at(i: number): number | undefined;
  /** Mean offered rate over the whole schedule, requests/s (null when unbounded and not constant). */
  readonly offeredRate: number | null;
  /** Length of the schedule in ms (Infinity when it never ends by itself). */
  readonly lengthMs: number;
}

/** Position of arrival i on a unit-rate clock (load/arrivals.ts); evenly spaced by default. */
export type ArrivalPositions = (i: number) => number;
const evenly: ArrivalPositions = (i) => i;

/** Constant arrival rate: arrival i at u_i / rate seconds (u_i = i: evenly spaced). Unbounded; the engine stops it. */
export function constantSchedule(ratePerS: number, position: ArrivalPositions = evenly): ArrivalSchedule {
  const gapMs = 1000 / ratePerS;
  return { at: (i) => position(i) * gapMs, offeredRate: ratePerS, lengthMs: Infinity };
}

/**
 * k6 ramping-arrival-rate: the rate moves linearly from one stage target to the next
 * (starting from `startRate`), and arrival i starts when the integral of the rate reaches u_i
 * (u_i = i: k6's evenly spaced arrivals; random positions: an inhomogeneous Poisson/gamma process).
 * So arrival 0 starts at t=0 when startRate > 0, and each arrival is placed exactly, not by ticks.
 */
export function stagesSchedule(stages: readonly Stage[], startRate = 0, position: ArrivalPositions = evenly): ArrivalSchedule {
  // Precompute, per stage, the cumulative arrivals at its start.
  const starts: { t0: number; n0: number; r0: number; r1: number; d: number }[] = [];
  let t0 = 0;
  let n0 = 0;
  let r0 = startRate;
  for (const s of stages) {
    const d = s.durationMs / 1000;
    starts.push({ t0, n0, r0, r1: s.target, d });
    n0 += ((r0 + s.target) / 2) * d;
    t0 += d;
    r0 = s.target;
  }
  const total = n0;
  const lengthMs = t0 * 1000;
  let seg = 0; // arrivals are asked in increasing order; remember the segment
  return {
    offeredRate: lengthMs > 0 ? total / t0 : 0,
    lengthMs,
    at(i: number): number | undefined {
      const need = position(i);
      // Arrivals strictly inside the schedule; the one landing exactly on its end is not sent.
      if (need >= total - 1e-9) return undefined;
      if (seg >= starts.length || (starts[seg] as { n0: number }).n0 > need) seg = 0;
      while (seg + 1 < starts.length && (starts[seg + 1] as { n0: number }).n0 <= need) seg++;
      const s = starts[seg];
      if (!s) return undefined;
      return (s.t0 + timeToReach(need - s.n0, s.r0, s.r1, s.d)) * 1000;
    },
  };
}

/**
 * Time t within a linear ramp r(t) = r0 + (r1 - r0) t / d at which ∫0^t r = need.
 * Solves a t² + r0 t - need = 0 with a = (r1 - r0) / (2d), in the cancellation-free form
 * t = 2 need / (r0 + sqrt(r0² + 4 a need)).
 */
export function timeToReach(need: number, r0: number, r1: number, d: number): number {
  if (need <= 0) return 0;
  const a = (r1 - r0) / (2 * d);
  const disc = Math.max(0, r0 * r0 + 4 * a * need);
  const denom = r0 + Math.sqrt(disc);
  return denom > 0 ? (2 * need) / denom : d;
}

/**
 * Original timing of a recording: recorded offsets `t` (seconds, any order) are sorted, shifted so
 * the first is at 0, and divided by `speed`. With `loop`, the recording repeats with a period of
 * its span plus one mean gap (so the last and first requests are not sent at the same instant).
 * Returns the schedule and the order in which the source's requests are sent.
 */
export function originalSchedule(ts: readonly number[], speed: number, loop: boolean): { schedule: ArrivalSchedule; order: number[] } {
  const order = ts.map((_, i) => i).sort((x, y) => (ts[x] as number) - (ts[y] as number) || x - y);
  const first = ts[order[0] as number] ?? 0;
  const offsetsMs = order.map((i) => (((ts[i] as number) - first) * 1000) / speed);
  const n = offsetsMs.length;
  const spanMs = offsetsMs[n - 1] ?? 0;
  const periodMs = n > 1 ? spanMs + spanMs / (n - 1) : 1000 / speed;
  const schedule: ArrivalSchedule = {
    offeredRate: n > 0 && periodMs > 0 ? (n * 1000) / periodMs : null,
    lengthMs: loop ? Infinity : spanMs,
    at(i: number): number | undefined {
      if (!loop && i >= n) return undefined;
      const k = Math.floor(i / n);
      return k * periodMs + (offsetsMs[i - k * n] as number);
    },
  };
  return { schedule, order };
}

/** Parses `30s:100,60s:500,30s:0` into stages; `parseDuration` converts `30s` to ms. */
export function parseStagesText(text: string, parseDuration: (v: string) => number): { durationMs: number; target: number }[] | string {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) return 'no stages given';
  const stages: { durationMs: number; target: number }[] = [];
  for (const p of parts) {
    const m = /^([^:]+):\s*(\d+(?:\.\d+)?)$/.exec(p);
    if (!m) return `stage "${p}" is not duration:target`;
    stages.push({ durationMs: parseDuration((m[1] as string).trim()), target: Number(m[2]) });
  }
  return stages;
}
