/** Label parity over a window: how many rows with a deployed label had the reference model's label. */
export interface LabelParity {
  /** Window rows that carried a deployed label. */
  readonly samples: number;
  /** Rows whose deployed label differs from the reference model's (compared exactly). */
  readonly mismatches: number;
  readonly agreementRatio: number;
}

/** `agree[i]` is 1 when row i's labels are equal; rows with `mask[i]` 0 carried no deployed label. */
export function computeLabelParity(agree: Uint8Array, mask: Uint8Array): LabelParity | undefined {
  let samples = 0;
  let same = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 1) continue;
    samples++;
    if (agree[i] === 1) same++;
  }
  return samples === 0 ? undefined : { samples, mismatches: samples - same, agreementRatio: same / samples };
}
