import type { Stage } from '../options.ts';

/** A ramping arrival rate: start rate, then stages the rate moves linearly through (k6's shape). */
export interface Ramp { startRate: number; stages: Stage[] }

/**
 * The part of a ramp between `fromMs` and `toMs` (ms since the ramp's start), as a ramp of its
 * own that starts at the rate the original has at `fromMs`. k6 runs one scenario per phase
 * (warm-up, then the measured part), so a vigil run whose warm-up is the first seconds of its
 * stages becomes two slices of the same ramp, not the whole ramp twice. Pure.
 */
export function sliceRamp(ramp: Ramp, fromMs: number, toMs: number): Ramp {
  const out: Stage[] = [];
  let t = 0;
  let r0 = ramp.startRate;
  let startRate: number | undefined = fromMs <= 0 ? ramp.startRate : undefined;
  for (const s of ramp.stages) {
    const t1 = t + s.durationMs;
    const rateAt = (x: number): number => (s.durationMs > 0 ? r0 + ((s.target - r0) * (x - t)) / s.durationMs : s.target);
    const a = Math.max(t, fromMs);
    const b = Math.min(t1, toMs);
    if (startRate === undefined && fromMs >= t && fromMs < t1) startRate = rateAt(fromMs);
    if (b > a) out.push({ durationMs: b - a, target: round6(rateAt(b)) });
    t = t1;
    r0 = s.target;
  }
  return { startRate: round6(startRate ?? r0), stages: out };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Length of a ramp in ms. */
export function rampLengthMs(ramp: Ramp): number {
  return ramp.stages.reduce((sum, s) => sum + s.durationMs, 0);
}
