/**
 * One LLM answer's measurements, from the meter's absolute times to what is recorded: every
 * latency from the request's intended start (µs), output tokens from `usage` or else the
 * content-chunk count (an estimate), TPOT = (E2E − TTFT) / (tokens − 1) as vLLM defines it.
 */
import type { LlmObservation } from './meter.ts';

export interface StreamSample {
  streamed: boolean;
  ttfbUs: number;
  /** Streams with at least one content chunk. */
  ttftUs: number | undefined;
  /** Streams with a TTFT and at least 2 output tokens. */
  tpotUs: number | undefined;
  gapsUs: readonly number[];
  outputTokens: number;
  /** The count is the number of content chunks (no `usage.completion_tokens` was sent). */
  estimated: boolean;
  inputTokens: number;
  /** The first content chunk's arrival, ms since measurement started (tokens are binned by arrival). */
  firstTokenMs: number | undefined;
  contentChunks: number;
}

/** `intendedAt`, `endAt` and `measureStart` on the same performance clock as the observation, ms. */
export function streamSample(o: LlmObservation, intendedAt: number, endAt: number, measureStart: number): StreamSample {
  const completion = o.usage?.completionTokens;
  const outputTokens = completion ?? o.contentChunks;
  const ttftUs = o.firstTokenAt === undefined ? undefined : (o.firstTokenAt - intendedAt) * 1000;
  const e2eUs = (endAt - intendedAt) * 1000;
  return {
    streamed: o.streamed,
    ttfbUs: (o.headersAt - intendedAt) * 1000,
    ttftUs,
    tpotUs: ttftUs !== undefined && outputTokens >= 2 ? (e2eUs - ttftUs) / (outputTokens - 1) : undefined,
    gapsUs: o.gapsUs,
    outputTokens,
    estimated: completion === undefined,
    inputTokens: o.usage?.promptTokens ?? 0,
    firstTokenMs: o.firstTokenAt === undefined ? undefined : o.firstTokenAt - measureStart,
    contentChunks: o.contentChunks,
  };
}
