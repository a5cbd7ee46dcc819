// LLM answers, transport-agnostic: SSE parsing, the OpenAI chunk reader, per-response meters,
// per-request samples, the recorder of TTFT/ITL/TPOT/TTFB and tokens, and merging their blocks.
export { SseParser, MAX_EVENT_BYTES, type SseListener } from './sse-parser.ts';
export { readChunk, readCompletionUsage, type ChunkReading, type Usage } from './openai-chunk.ts';
export { meterFor, isCompletionRequest, MAX_COMPLETION_BODY, type LlmObservation, type ResponseMeter } from './meter.ts';
export { streamSample, type StreamSample } from './sample.ts';
export { StreamRecorder, StreamStats, tokenSource } from './stream-recorder.ts';
export { mergeStreamSummaries, mergeIntervalStreams, mergeGoodput } from './merge.ts';
