/**
 * Records LLM answers (pure bookkeeping, no clocks): TTFT, ITL, TPOT and TTFB into HdrHistograms
 * (µs), token counts, overall, per endpoint and per 1 s interval, and turns them into the
 * `stream` blocks of a result. Output tokens are binned into intervals by the arrival of the
 * chunks that carried them, so tokens/s over time follows the streams, not their completions.
 */
import { createHistogram, encodeHistogram, quickPercentiles, summarizeHistogram, type Histogram } from '../histogram.ts';
import type { IntervalStreamSummary, StreamSummary, TokenSource } from '../result.ts';
import type { StreamSample } from './sample.ts';

export class StreamStats {
  readonly ttft: Histogram = createHistogram();
  readonly itl: Histogram = createHistogram();
  readonly tpot: Histogram = createHistogram();
  readonly ttfb: Histogram = createHistogram();
  requests = 0;
  streamed = 0;
  outputTokens = 0;
  estimatedRequests = 0;
  inputTokens = 0;

  add(s: StreamSample): void {
    this.requests++;
    if (s.streamed) {
      this.streamed++;
      this.ttfb.recordValue(us(s.ttfbUs));
      if (s.ttftUs !== undefined) this.ttft.recordValue(us(s.ttftUs));
      if (s.tpotUs !== undefined) this.tpot.recordValue(us(s.tpotUs));
      for (const g of s.gapsUs) this.itl.recordValue(us(g));
    }
    this.outputTokens += s.outputTokens;
    if (s.estimated) this.estimatedRequests++;
    this.inputTokens += s.inputTokens;
  }

  summary(durationS: number): StreamSummary {
    return {
      requests: this.requests,
      streamed: this.streamed,
      ttftMs: summarizeHistogram(this.ttft),
      itlMs: summarizeHistogram(this.itl),
      tpotMs: summarizeHistogram(this.tpot),
      ttfbMs: summarizeHistogram(this.ttfb),
      outputTokens: { total: this.outputTokens, source: tokenSource(this.requests, this.estimatedRequests), estimatedRequests: this.estimatedRequests },
      inputTokens: { total: this.inputTokens },
      outputTokensPerS: durationS > 0 ? round3(this.outputTokens / durationS) : 0,
      histograms: { ttft: encodeHistogram(this.ttft), itl: encodeHistogram(this.itl), tpot: encodeHistogram(this.tpot), ttfb: encodeHistogram(this.ttfb) },
    };
  }
}

interface IntervalStream { ttft: Histogram | undefined; requests: number; tokens: number }

export class StreamRecorder {
  readonly overall = new StreamStats();
  private readonly endpoints = new Map<string, StreamStats>();
  private readonly intervals: (IntervalStream | undefined)[] = [];

  /** One successful LLM answer of endpoint `endpoint`, completed `completedMs` after measurement started. */
  record(endpoint: string, s: StreamSample, completedMs: number): void {
    this.overall.add(s);
    let e = this.endpoints.get(endpoint);
    if (!e) { e = new StreamStats(); this.endpoints.set(endpoint, e); }
    e.add(s);
    const done = this.interval(completedMs);
    done.requests++;
    if (s.ttftUs !== undefined) (done.ttft ??= createHistogram()).recordValue(us(s.ttftUs));
    if (s.firstTokenMs === undefined || s.contentChunks === 0) { done.tokens += s.outputTokens; return; }
    const perChunk = s.outputTokens / s.contentChunks;
    let at = s.firstTokenMs;
    this.interval(at).tokens += perChunk;
    for (const g of s.gapsUs) {
      at += g / 1000;
      this.interval(at).tokens += perChunk;
    }
  }

  /** LLM answers that failed (a stream error, an HTTP error with an event-stream body). */
  failed = 0;

  /** Whether the run saw any LLM answer, successful or not. */
  get seen(): boolean {
    return this.overall.requests > 0 || this.failed > 0;
  }

  endpointSummary(key: string, durationS: number): StreamSummary | undefined {
    return this.endpoints.get(key)?.summary(durationS);
  }

  /** Interval i (covering (i, i+1] s); undefined when it saw no LLM answer and no tokens. */
  intervalSummary(i: number, withHistogram: boolean): IntervalStreamSummary | undefined {
    const iv = this.intervals[i];
    if (!iv) return undefined;
    const p = iv.ttft ? quickPercentiles(iv.ttft) : { p50: 0, p99: 0 };
    const out: IntervalStreamSummary = { requests: iv.requests, ttftMs: { p50: p.p50, p99: p.p99 }, outputTokensPerS: round3(iv.tokens) };
    if (withHistogram && iv.ttft && iv.ttft.totalCount > 0) out.histogram = encodeHistogram(iv.ttft);
    return out;
  }

  private interval(ms: number): IntervalStream {
    const i = Math.max(0, Math.floor(ms / 1000));
    let iv = this.intervals[i];
    if (!iv) { iv = { ttft: undefined, requests: 0, tokens: 0 }; this.intervals[i] = iv; }
    return iv;
  }
}

export function tokenSource(requests: number, estimated: number): TokenSource {
  if (requests === 0) return 'none';
  if (estimated === 0) return 'usage';
  return estimated === requests ? 'chunks' : 'mixed';
}

function us(v: number): number {
  return Math.max(1, Math.round(v));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
