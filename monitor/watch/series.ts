/** A time series that keeps only the last `windowMs`: timestamps in ms, values in bytes. */
export class SlidingSeries {
  private t: number[] = [];
  private v: number[] = [];
  private start = 0;

  constructor(private readonly windowMs: number) {}

  push(tMs: number, value: number): void {
    this.t.push(tMs);
    this.v.push(value);
    this.trim(tMs);
  }

  /** Drops samples older than `nowMs − windowMs`; compacts the arrays now and then. */
  trim(nowMs: number): void {
    const cutoff = nowMs - this.windowMs;
    while (this.start < this.t.length && (this.t[this.start] as number) < cutoff) this.start++;
    if (this.start > 1024 && this.start * 2 > this.t.length) {
      this.t = this.t.slice(this.start);
      this.v = this.v.slice(this.start);
      this.start = 0;
    }
  }

  get length(): number {
    return this.t.length - this.start;
  }

  /** The window as seconds and bytes (copies). */
  toArrays(): { tSeconds: Float64Array; bytes: Float64Array } {
    const n = this.length;
    const tSeconds = new Float64Array(n);
    const bytes = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      tSeconds[i] = (this.t[this.start + i] as number) / 1000;
      bytes[i] = this.v[this.start + i] as number;
    }
    return { tSeconds, bytes };
  }
}
