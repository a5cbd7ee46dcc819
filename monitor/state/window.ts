import type { Matrix } from '../drift/matrix.ts';

/** The drift engine's row-major matrix, shared by every room above it. */
export type { Matrix };

/**
 * A sliding window of the last `capacity` rows of `cols` numbers: a ring buffer over one
 * Float64Array, so ingestion never allocates and memory stays flat however long it runs.
 */
export class RingWindow {
  readonly capacity: number;
  readonly cols: number;
  private readonly buf: Float64Array;
  private next = 0;
  private count = 0;
  private total = 0;

  constructor(capacity: number, cols: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`window capacity ${capacity} must be a positive integer`);
    if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`window width ${cols} must be a positive integer`);
    this.capacity = capacity;
    this.cols = cols;
    this.buf = new Float64Array(capacity * cols);
  }

  /** Rows currently held (≤ capacity). */
  get size(): number { return this.count; }
  /** Rows ever pushed since the last clear. */
  get pushed(): number { return this.total; }

  /** Appends one row (`cols` values starting at `offset` of `src`), evicting the oldest when full. */
  push(src: ArrayLike<number>, offset = 0): void {
    const base = this.next * this.cols;
    for (let j = 0; j < this.cols; j++) this.buf[base + j] = src[offset + j] as number;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    this.total++;
  }

  /** Appends every row of a matrix. */
  pushRows(m: Matrix): void {
    if (m.cols !== this.cols) throw new RangeError(`matrix has ${m.cols} columns; the window has ${this.cols}`);
    for (let i = 0; i < m.rows; i++) this.push(m.data, i * m.cols);
  }

  /** A copy of the held rows, oldest first (safe to transfer to a worker). */
  snapshot(): Matrix {
    return { data: ringCopy(this.buf, this.cols, this.capacity, this.next, this.count, Float64Array), rows: this.count, cols: this.cols };
  }

  /** Value `col` of the i-th oldest held row. */
  at(i: number, col = 0): number {
    return this.buf[((this.next - this.count + i + this.capacity) % this.capacity) * this.cols + col] as number;
  }

  /** Forgets the `k` oldest rows (a duration window's eviction by age). */
  dropOldest(k: number): void {
    this.count -= Math.min(k, this.count);
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
    this.total = 0;
  }
}

/** A window of flags kept in step with a RingWindow (e.g. "this row has a deployed output"). */
export class RingFlags {
  private readonly buf: Uint8Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  push(flag: boolean): void {
    this.buf[this.next] = flag ? 1 : 0;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  snapshot(): Uint8Array {
    return ringCopy(this.buf, 1, this.capacity, this.next, this.count, Uint8Array);
  }

  dropOldest(k: number): void {
    this.count -= Math.min(k, this.count);
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }
}

/** The `count` rows of a ring ending just before slot `next`, oldest first, as one copy. */
function ringCopy<T extends Float64Array | Uint8Array>(buf: T, cols: number, capacity: number, next: number, count: number, Ctor: new (n: number) => T): T {
  const out = new Ctor(count * cols);
  const start = (next - count + capacity) % capacity;
  const firstRows = Math.min(count, capacity - start);
  out.set(buf.subarray(start * cols, (start + firstRows) * cols), 0);
  if (firstRows < count) out.set(buf.subarray(0, (count - firstRows) * cols), firstRows * cols);
  return out;
}
