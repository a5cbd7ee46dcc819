/**
 * Reading and writing `vigil.load.result/v1` files. Writes are atomic (a reader never sees half
 * a file); reads are validated so consumers (compare, merge, reports) can trust the shape.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../common/atomic-write.ts';
import { loadErrors } from './errors.ts';
import { LOAD_RESULT_SCHEMA, type LoadResult } from './result.ts';

export function writeLoadResult(file: string, result: LoadResult): void {
  writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
}

const latency = z.object({ min: z.number(), mean: z.number(), p50: z.number(), p90: z.number(), p95: z.number(), p99: z.number(), p999: z.number(), max: z.number() }).passthrough();
const count = z.number().nonnegative();

const resultSchema = z.object({
  schema: z.literal(LOAD_RESULT_SCHEMA),
  target: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  aborted: z.boolean(),
  config: z.object({ model: z.enum(['open', 'closed', 'stages', 'original']), rate: z.number().nullable(), connections: z.number().nullable(), durationS: z.number().nullable(), warmupS: z.number() }).passthrough(),
  summary: z.object({
    requests: count, durationS: z.number(), qps: z.number(), offeredRate: z.number().nullable(), latencyMs: latency,
    errors: z.object({ total: count, rate: z.number(), byClass: z.object({ timeout: count, connect: count, reset: count, http4xx: count, http5xx: count, other: count }) }),
    status: z.record(z.string(), count), bytesIn: count, bytesOut: count, droppedIterations: count,
  }).passthrough(),
  intervals: z.array(z.object({ t: z.number(), requests: count, qps: z.number(), latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).passthrough(), errors: count }).passthrough()),
  endpoints: z.record(z.string(), z.object({ requests: count, latencyMs: z.record(z.string(), z.number()), errors: z.record(z.string(), z.number()) }).passthrough()),
  histogram: z.string(),
  thresholds: z.array(z.object({ expr: z.string(), ok: z.boolean(), value: z.number() })),
}).passthrough();

export function readLoadResult(file: string): LoadResult {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw loadErrors.VIGIL_LOAD_RESULT_INVALID({ file, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message });
  }
  return parseLoadResult(raw, file);
}

export function parseLoadResult(raw: unknown, file = '(result)'): LoadResult {
  const parsed = resultSchema.safeParse(raw);
  if (!parsed.success) {
    const reason = parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
    throw loadErrors.VIGIL_LOAD_RESULT_INVALID({ file, reason });
  }
  return parsed.data as unknown as LoadResult;
}
