/**
 * Reading and writing `vigil.load.result/v1` files. Writes are atomic (a reader never sees half
 * a file); reads are validated so consumers (compare, merge, reports, schedule) can trust the shape.
 * The one reader of result files: k6 imports are results too, so a statistic k6 did not compute
 * (null in the file, JSON having no NaN) is accepted and read back as NaN, as `importK6Summary` made it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../common/atomic-write.ts';
import { replayErrors } from './replay-errors.ts';
import { LOAD_RESULT_SCHEMA, type LoadResult } from './result.ts';

export function writeLoadResult(file: string, result: LoadResult): void {
  writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
}

/** A statistic that may not have been computed (k6 imports): null in the file, NaN in memory. */
const stat = z.number().nullable().transform((v) => v ?? Number.NaN);
const latency = z.object({ min: stat, mean: stat, p50: stat, p90: stat, p95: stat, p99: stat, p999: stat, max: stat }).passthrough();
const count = z.number().nonnegative();
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 time');

/** The LLM block: what merge, compare and the report read from it must be there. */
const streamBlock = z.object({
  requests: count, streamed: count, ttftMs: latency, itlMs: latency, tpotMs: latency, ttfbMs: latency,
  outputTokens: z.object({ total: count, source: z.enum(['usage', 'chunks', 'mixed', 'none']), estimatedRequests: count.default(0) }).passthrough(),
  inputTokens: z.object({ total: count }).passthrough(), outputTokensPerS: z.number(),
  histograms: z.object({ ttft: z.string(), itl: z.string(), tpot: z.string(), ttfb: z.string() }).passthrough(),
}).passthrough();

const resultSchema = z.object({
  schema: z.literal(LOAD_RESULT_SCHEMA),
  target: z.string(),
  startedAt: isoTime,
  endedAt: isoTime,
  aborted: z.boolean(),
  config: z.object({ model: z.enum(['open', 'closed', 'stages', 'original']), rate: z.number().nullable(), connections: z.number().nullable(), durationS: z.number().nullable(), warmupS: z.number() }).passthrough(),
  summary: z.object({
    requests: count, durationS: z.number(), qps: z.number(), offeredRate: z.number().nullable(), latencyMs: latency,
    errors: z.object({ total: count, rate: z.number(), byClass: z.object({ timeout: count, connect: count, reset: count, http4xx: count, http5xx: count, stream: count.default(0), grpc: count.default(0), other: count }) }),
    status: z.record(z.string(), count), bytesIn: count, bytesOut: count, droppedIterations: count,
    stream: streamBlock.optional(),
  }).passthrough(),
  intervals: z.array(z.object({ t: z.number(), requests: count, qps: z.number(), latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).passthrough(), errors: count }).passthrough()),
  endpoints: z.record(z.string(), z.object({ requests: count, latencyMs: z.record(z.string(), stat), errors: z.record(z.string(), z.number()), stream: streamBlock.optional() }).passthrough()),
  histogram: z.string(),
  thresholds: z.array(z.object({ expr: z.string(), ok: z.boolean(), value: stat })),
}).passthrough();

export function readLoadResult(file: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw replayErrors.VIGIL_RESULT_UNREADABLE({ file, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw replayErrors.VIGIL_RESULT_INVALID({ file, rule: `not JSON (${(err as Error).message})` });
  }
  return parseLoadResult(raw, file);
}

export function parseLoadResult(raw: unknown, file = '(result)'): LoadResult {
  const parsed = resultSchema.safeParse(raw);
  if (!parsed.success) {
    const rule = parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
    throw replayErrors.VIGIL_RESULT_INVALID({ file, rule });
  }
  return parsed.data as unknown as LoadResult;
}
