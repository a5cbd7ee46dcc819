import { inferenceErrors } from './errors.ts';
import type { Batch, Prediction, PredictOptions, ReferenceModel } from './reference-model.ts';

export interface MicroBatcherOptions {
  /** Rows that trigger a run at once; also the most rows coalesced into one run. */
  readonly maxBatch: number;
  /** Longest a queued row waits for others before its batch runs, ms (0: next timer tick). */
  readonly maxDelayMs: number;
  /** Category vocabularies of the columns that feed string inputs (see `Batch.vocabularies`). */
  readonly vocabularies?: Batch['vocabularies'];
}

export interface MicroBatcherStats {
  /** `session.run` calls made. */
  readonly runs: number;
  readonly rows: number;
  readonly requests: number;
  readonly largestBatch: number;
  readonly queuedRows: number;
}

export interface MicroBatcher {
  /** One row in, its output row out. */
  predictRow(row: ArrayLike<number>): Promise<Float32Array | Float64Array>;
  /** Several rows, kept together in one run (never split, even beyond `maxBatch`). */
  predictMany(rows: readonly ArrayLike<number>[] | Batch, options?: PredictOptions): Promise<Prediction>;
  stats(): MicroBatcherStats;
  /** Runs what is queued, waits for it, and rejects later calls with VIGIL_MONITOR_MODEL_CLOSED. */
  close(): Promise<void>;
}

export type BatchableModel = Pick<ReferenceModel, 'predict' | 'inputDim' | 'outputDim'> & Partial<Pick<ReferenceModel, 'plan'>>;

type Rows = Float32Array | Float64Array;

interface Pending {
  readonly data: Rows;
  readonly rows: number;
  /** Wants the label output: the batch it runs in fetches it. */
  readonly labels: boolean;
  resolve(p: Prediction): void;
  reject(err: unknown): void;
}

/**
 * Coalesces concurrent requests into one `model.predict` (one `session.run`): requests queue
 * until `maxBatch` rows are waiting or the oldest has waited `maxDelayMs`; one run is in flight
 * at a time, and whatever queued during it runs as soon as it ends. A failed run rejects only
 * the requests in it. Rows of the wrong width are rejected before they are queued.
 */
export function createMicroBatcher(model: BatchableModel, options: MicroBatcherOptions): MicroBatcher {
  const { maxBatch, maxDelayMs } = options;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw inferenceErrors.VIGIL_MONITOR_BATCHER_BAD_OPTION({ name: 'maxBatch', value: maxBatch, rule: 'an integer ≥ 1' });
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < 0) throw inferenceErrors.VIGIL_MONITOR_BATCHER_BAD_OPTION({ name: 'maxDelayMs', value: maxDelayMs, rule: 'a number of ms ≥ 0' });
  const cols = model.inputDim;
  // Rows are queued in the type the model reads, so float64 and int64 inputs are never rounded to float32.
  const only = model.plan?.inputs.length === 1 ? model.plan.inputs[0] : undefined;
  const RowArray = model.plan === undefined || only?.elemType === 'float32' ? Float32Array : Float64Array;
  const queue: Pending[] = [];
  let queuedRows = 0;
  let running = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idleWaiters: (() => void)[] = [];
  const counts = { runs: 0, rows: 0, requests: 0, largestBatch: 0 };

  const enqueue = (data: Rows, rows: number, labels = false): Promise<Prediction> => {
    if (closed) return Promise.reject(inferenceErrors.VIGIL_MONITOR_MODEL_CLOSED({ what: 'micro-batcher' }));
    return new Promise<Prediction>((resolve, reject) => {
      queue.push({ data, rows, labels, resolve, reject });
      queuedRows += rows;
      if (running) return; // the end of the current run pumps the queue
      if (queuedRows >= maxBatch) pump();
      else timer ??= setTimeout(pump, maxDelayMs);
    });
  };

  const pump = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (running) return;
    if (queue.length === 0) {
      for (const wake of idleWaiters) wake();
      idleWaiters = [];
      return;
    }
    const taken: Pending[] = [];
    let rows = 0;
    while (queue.length > 0 && (taken.length === 0 || rows + (queue[0] as Pending).rows <= maxBatch)) {
      const next = queue.shift() as Pending;
      taken.push(next);
      rows += next.rows;
    }
    queuedRows -= rows;
    const data = taken.length === 1 ? (taken[0] as Pending).data : concat(taken, new RowArray(rows * cols));
    running = true;
    counts.runs++;
    counts.rows += rows;
    counts.requests += taken.length;
    counts.largestBatch = Math.max(counts.largestBatch, rows);
    // Through a promise so that even a model that throws synchronously fails only this batch.
    const labels = taken.some((p) => p.labels);
    new Promise<Prediction>((resolve) => resolve(model.predict({ data, rows, cols, ...(options.vocabularies ? { vocabularies: options.vocabularies } : {}) }, { labels }))).then(
      (out) => split(out, taken),
      (err: unknown) => { for (const p of taken) p.reject(err); },
    ).finally(() => {
      running = false;
      pump();
    });
  };

  const checkedRow = (row: ArrayLike<number>, into: Rows, offset: number): void => {
    if (row.length !== cols) throw inferenceErrors.VIGIL_MONITOR_MODEL_INPUT_SHAPE({ expected: cols, actual: row.length });
    for (let j = 0; j < cols; j++) into[offset + j] = row[j] as number;
  };

  return {
    async predictRow(row) {
      const data = new RowArray(cols);
      checkedRow(row, data, 0);
      return (await enqueue(data, 1)).data;
    },
    async predictMany(rows, options) {
      const labels = options?.labels ?? false;
      if (isBatch(rows)) {
        if (rows.cols !== cols || rows.data.length < rows.rows * cols) throw inferenceErrors.VIGIL_MONITOR_MODEL_INPUT_SHAPE({ expected: cols, actual: rows.cols });
        if (rows.rows === 0) return { data: new Float32Array(0), rows: 0, cols: model.outputDim };
        return enqueue(RowArray.from(rows.data.subarray(0, rows.rows * cols)), rows.rows, labels);
      }
      if (rows.length === 0) return { data: new Float32Array(0), rows: 0, cols: model.outputDim };
      const data = new RowArray(rows.length * cols);
      rows.forEach((row, i) => checkedRow(row, data, i * cols));
      return enqueue(data, rows.length, labels);
    },
    stats: () => ({ ...counts, queuedRows }),
    close() {
      closed = true;
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        if (!running) pump();
      });
    },
  };
}

function isBatch(rows: readonly ArrayLike<number>[] | Batch): rows is Batch {
  return !Array.isArray(rows);
}

function concat(taken: readonly Pending[], data: Rows): Rows {
  let offset = 0;
  for (const p of taken) {
    data.set(p.data, offset);
    offset += p.data.length;
  }
  return data;
}

/** Hands each request its own copy of its rows of the batch output. */
function split(out: Prediction, taken: readonly Pending[]): void {
  let row = 0;
  for (const p of taken) {
    const data = out.data.slice(row * out.cols, (row + p.rows) * out.cols);
    const labels = out.labels?.slice(row, row + p.rows);
    row += p.rows;
    p.resolve({ data, rows: p.rows, cols: out.cols, ...(labels ? { labels } : {}) });
  }
}
