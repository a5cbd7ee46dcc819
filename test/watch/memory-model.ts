import { createRng } from '../../common/rng.ts';

const MB = 1e6;

/** The parameters of one simulated process (drawn from its seed; see healthyMemory). */
export interface MemoryProcess {
  /** Bytes at time t seconds since the first sample. */
  bytes(tSeconds: number): number;
}

/**
 * The memory of a healthy garbage-collected server under steady load, the series a soak records:
 *   - a floor of 150–400 MB;
 *   - a warm-up plateau: the floor rises by 5–100 MB as A·(1 − e^(−t/τ)), τ 5–60 s (caches, JIT
 *     code, connection pools filling), then stays flat;
 *   - the young-generation sawtooth: the heap climbs 0.5–10 MB/s up to 10–80 MB above the floor and
 *     a scavenge drops it back (period 1–160 s), leaving 0–2 MB of residue that varies by cycle;
 *   - the old-generation sawtooth: promoted objects raise the floor by 5–30 MB over 60–300 s until a
 *     major collection resets it (the "creep between major GCs" of a loaded Node process);
 *   - sampling noise, uniform ±0.5 MB.
 * Plus `leakBytesPerSecond` of growth that is never collected (0 = healthy). Every random draw
 * comes from `seed`, so a trial is reproducible.
 */
export function simulatedMemory(seed: number, leakBytesPerSecond = 0): MemoryProcess {
  const r = createRng(seed).next;
  const floor = (150 + 250 * r()) * MB;
  const warmRise = (5 + 95 * r()) * MB;
  const warmTau = 5 + 55 * r();
  const youngAmp = (10 + 70 * r()) * MB;
  const youngClimb = (0.5 + 9.5 * r()) * MB;
  const youngPeriod = youngAmp / youngClimb;
  const youngPhase = r() * youngPeriod;
  const oldAmp = (5 + 25 * r()) * MB;
  const oldPeriod = 60 + 240 * r();
  const oldPhase = r() * oldPeriod;
  return {
    bytes(t: number): number {
      const cycle = Math.floor((t + youngPhase) / youngPeriod);
      const young = (((t + youngPhase) % youngPeriod) / youngPeriod) * youngAmp;
      const residue = (((cycle * 2654435761) % 1000) / 1000) * 2 * MB;
      const old = (((t + oldPhase) % oldPeriod) / oldPeriod) * oldAmp;
      const warm = warmRise * (1 - Math.exp(-t / warmTau));
      return floor + warm + old + young + residue + (r() - 0.5) * MB + leakBytesPerSecond * t;
    },
  };
}

/** A soak's recorded series: one sample every `intervalSeconds` for `durationSeconds` (wall ms from 0). */
export function recordSeries(p: MemoryProcess, durationSeconds: number, intervalSeconds: number): { wallMs: number[]; bytes: number[] } {
  const wallMs: number[] = [];
  const bytes: number[] = [];
  for (let t = 0; t <= durationSeconds + 1e-9; t += intervalSeconds) {
    wallMs.push(t * 1000);
    bytes.push(p.bytes(t));
  }
  return { wallMs, bytes };
}
