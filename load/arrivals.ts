/**
 * Arrival processes of the open models (`--arrival constant | poisson | gamma --burstiness K
 * --seed N`). An arrival process is a sequence of positions on a unit-rate clock: arrival i is due
 * when the integral of the offered rate reaches position u_i. Constant: u_i = i (evenly spaced,
 * what `--rate` always did). Poisson and gamma: u_0 = 0 and u_(i+1) = u_i + g_i with independent
 * g_i ~ Gamma(K, scale 1/K) — mean 1, coefficient of variation 1/√K; K = 1 is Poisson (exponential
 * gaps), K < 1 burstier, K > 1 more regular (vLLM bench's `--burstiness`). The same positions drive
 * a constant rate (time = u_i / rate) and a ramp (`--stages`: the time the ramp's integral reaches
 * u_i), so a ramp with Poisson arrivals is an inhomogeneous Poisson process.
 * Pure and seeded: the same seed gives the same arrival times.
 */
import { createRng, gammaDraw, streamSeed, type Rng } from '../common/rng.ts';

export type ArrivalKind = 'constant' | 'poisson' | 'gamma';
export const ARRIVAL_KINDS: readonly ArrivalKind[] = ['constant', 'poisson', 'gamma'];

export interface Arrivals {
  kind: ArrivalKind;
  /** Gamma shape K (1 for Poisson). */
  burstiness: number;
  seed: number;
}

/** u_i for i = 0, 1, 2, …; asked in increasing order it costs one draw per arrival (earlier i: replayed from the seed). */
export function arrivalPositions(a: Arrivals | undefined): (i: number) => number {
  if (!a || a.kind === 'constant') return (i) => i;
  const shape = a.kind === 'poisson' ? 1 : a.burstiness;
  let rng: Rng = createRng(streamSeed(a.seed, 3));
  let at = 0;
  let u = 0;
  return (i) => {
    if (i < at) {
      rng = createRng(streamSeed(a.seed, 3));
      at = 0;
      u = 0;
    }
    while (at < i) {
      u += gammaDraw(rng, shape) / shape;
      at++;
    }
    return u;
  };
}
