/** What the windows and one evaluation hold in memory, from the sizes fixed at start. */
export interface MemoryShape {
  window: number;
  features: number;
  /** Reference-model outputs per row (0 without a model). */
  outputDim: number;
  referenceRows: number;
  mmdMaxSamples: number;
}

/**
 * An upper estimate, in bytes, of the monitor's data at a full window: the ring buffers (inputs,
 * reference outputs, deployed outputs, mask), the snapshot sent to the worker and its copy there
 * (×2), KS's sorted columns, and per stream (inputs, outputs) MMD's float32 kernel blocks on at most
 * `mmdMaxSamples` rows per side: current×current and reference×reference packed (n²/2), cross n×m.
 * Not counted: Node itself (~60 MB) and the model's session.
 */
export function estimateMemoryBytes(s: MemoryShape): number {
  const rowValues = s.features + 2 * s.outputDim;
  const rings = s.window * (rowValues * 8 + 1);
  const snapshots = 2 * rings;
  const ks = s.window * (s.features + s.outputDim) * 8 * 2;
  const m = Math.min(s.window, s.mmdMaxSamples);
  const n = Math.min(s.referenceRows, s.mmdMaxSamples);
  const mmdStream = 4 * ((m * m) / 2 + (n * n) / 2 + n * m) + 8 * (n + m) * 8;
  const streams = s.outputDim > 0 ? 2 : 1;
  return Math.ceil(rings + snapshots + ks + streams * mmdStream);
}
