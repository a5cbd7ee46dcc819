import { EvaluationClient } from '../../monitor/evaluation/client.ts';
import type { EvaluateMessage, Evaluation } from '../../monitor/evaluation/types.ts';

/** The real worker, sent a window one column too wide while `failing`: it throws, with a real stack. */
export class BreakableClient extends EvaluationClient {
  failing = false;
  override evaluate(msg: Omit<EvaluateMessage, 'type' | 'id'>): Promise<Evaluation> {
    if (!this.failing) return super.evaluate(msg);
    const { rows, cols, data } = msg.inputs;
    const wide = new Float64Array(rows * (cols + 1));
    for (let i = 0; i < rows; i++) wide.set(data.subarray(i * cols, (i + 1) * cols), i * (cols + 1));
    return super.evaluate({ ...msg, inputs: { data: wide, rows, cols: cols + 1 } });
  }
}
