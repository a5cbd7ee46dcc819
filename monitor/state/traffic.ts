/** Per-second traffic for the live page: request count and latency percentiles, last N seconds. */
export interface TrafficPoint { t: number; requests: number; samples: number; p50Ms: number | null; p99Ms: number | null }

const RESERVOIR = 1024;

interface Bucket { second: number; requests: number; samples: number; latencies: number[]; seen: number }

/**
 * A ring of one-second buckets. Latencies are kept in a bounded reservoir per second (uniform
 * sample), so memory stays flat at any request rate; percentiles are exact up to 1,024 req/s.
 */
export class TrafficSeries {
  private readonly buckets: Bucket[] = [];

  constructor(private readonly seconds = 300, private readonly now: () => number = Date.now) {}

  recordRequest(latencyMs: number): void {
    const b = this.bucket();
    b.requests++;
    b.seen++;
    if (b.latencies.length < RESERVOIR) b.latencies.push(latencyMs);
    else {
      const k = Math.floor(Math.random() * b.seen);
      if (k < RESERVOIR) b.latencies[k] = latencyMs;
    }
  }

  recordSamples(n: number): void {
    this.bucket().samples += n;
  }

  points(): TrafficPoint[] {
    const cutoff = Math.floor(this.now() / 1000) - this.seconds;
    return this.buckets.filter((b) => b.second > cutoff).map((b) => {
      const sorted = [...b.latencies].sort((x, y) => x - y);
      return { t: b.second, requests: b.requests, samples: b.samples, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99) };
    });
  }

  clear(): void {
    this.buckets.length = 0;
  }

  private bucket(): Bucket {
    const second = Math.floor(this.now() / 1000);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.second === second) return last;
    const b = { second, requests: 0, samples: 0, latencies: [], seen: 0 };
    this.buckets.push(b);
    while (this.buckets.length > this.seconds) this.buckets.shift();
    return b;
  }
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
