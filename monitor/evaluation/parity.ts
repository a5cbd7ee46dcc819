import type { Matrix } from '../drift/matrix.ts';
import type { ParityResult } from './types.ts';

/**
 * Compares what the deployed endpoint answered with what the reference model answers on the
 * same inputs, over the rows whose `mask` is 1: max and mean absolute difference over every
 * output value, and how often the argmax (the predicted class) agrees. For one-output models
 * (regressors) "agreement" means |diff| ≤ tolerance.
 */
export function computeParity(deployed: Matrix, reference: Matrix, mask: Uint8Array, tolerance: number): ParityResult | undefined {
  if (deployed.rows !== reference.rows || deployed.cols !== reference.cols || mask.length !== deployed.rows) {
    throw new RangeError(`parity: deployed ${deployed.rows}x${deployed.cols}, reference ${reference.rows}x${reference.cols}, mask ${mask.length} do not line up`);
  }
  const k = deployed.cols;
  let samples = 0;
  let agree = 0;
  let max = 0;
  let sum = 0;
  for (let i = 0; i < deployed.rows; i++) {
    if (mask[i] !== 1) continue;
    samples++;
    const base = i * k;
    let rowMax = 0;
    for (let j = 0; j < k; j++) {
      const d = Math.abs((deployed.data[base + j] as number) - (reference.data[base + j] as number));
      sum += d;
      if (d > rowMax) rowMax = d;
    }
    if (rowMax > max) max = rowMax;
    const same = k === 1 ? rowMax <= tolerance : argmax(deployed.data, base, k) === argmax(reference.data, base, k);
    if (same) agree++;
  }
  if (samples === 0) return undefined;
  return { samples, maxAbsDiff: max, meanAbsDiff: sum / (samples * k), agreementRatio: agree / samples, degraded: max > tolerance };
}

function argmax(data: Float64Array, base: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if ((data[base + j] as number) > (data[base + best] as number)) best = j;
  return best;
}
