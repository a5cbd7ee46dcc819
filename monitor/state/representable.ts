import { monitorErrors } from '../errors.ts';
import type { Matrix } from './window.ts';

/** Largest finite float32: the reference model (ONNX float32 inputs) cannot hold anything larger. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Refuses a matrix holding a value the evaluation cannot represent: beyond ±FLOAT32_MAX (the
 * reference model reads float32, so 1e39 would become Infinity there and NaN after it) or
 * infinite. NaN is left alone: it is how a missing value is carried, judged where missing values are.
 * `path(i, j)` names the cell in the error (`inputs[3][2] (feature age)`).
 */
export function assertRepresentable(m: Matrix, path: (row: number, col: number) => string): void {
  const { data, cols } = m;
  for (let k = 0; k < data.length; k++) {
    const x = data[k] as number;
    if (Math.abs(x) > FLOAT32_MAX) throw monitorErrors.VIGIL_MONITOR_NON_FINITE({ path: path(Math.floor(k / cols), k % cols), value: x });
  }
}

/**
 * Refuses reference-model outputs that are not finite for input rows that are complete (no NaN):
 * such a row would make every evaluation of the output stream fail until it leaves the window.
 */
export function assertFiniteOutputs(inputs: Matrix, outputs: Matrix, what: string): void {
  for (let i = 0; i < outputs.rows; i++) {
    let complete = true;
    for (let j = 0; j < inputs.cols; j++) if (Number.isNaN(inputs.data[i * inputs.cols + j])) complete = false;
    if (!complete) continue;
    for (let j = 0; j < outputs.cols; j++) {
      const y = outputs.data[i * outputs.cols + j] as number;
      if (!Number.isFinite(y)) throw monitorErrors.VIGIL_MONITOR_NON_FINITE({ path: `the reference model's output ${j} for ${what}[${i}]`, value: y });
    }
  }
}
