import { readFileSync } from 'node:fs';
import { LOAD_RESULT_SCHEMA } from '../result.ts';
import type { LoadResult } from '../result.ts';
import { replayErrors } from '../replay-errors.ts';

/**
 * Reads a `vigil.load.result/v1` file for merge, compare and report. Checks the parts those
 * commands rely on and names the first one missing.
 */
export function readResultFile(file: string): LoadResult {
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
  const rule = checkShape(raw);
  if (rule) throw replayErrors.VIGIL_RESULT_INVALID({ file, rule });
  return raw as LoadResult;
}

function checkShape(raw: unknown): string | undefined {
  if (!isObject(raw)) return 'the top level must be an object';
  if (raw.schema !== LOAD_RESULT_SCHEMA) return `"schema" must be "${LOAD_RESULT_SCHEMA}", got ${JSON.stringify(raw.schema)}`;
  for (const key of ['startedAt', 'endedAt'] as const) {
    if (typeof raw[key] !== 'string' || Number.isNaN(Date.parse(raw[key]))) return `"${key}" must be an ISO-8601 time`;
  }
  if (!isObject(raw.config)) return '"config" must be an object';
  const s = raw.summary;
  if (!isObject(s)) return '"summary" must be an object';
  for (const key of ['requests', 'durationS', 'qps'] as const) if (typeof s[key] !== 'number') return `"summary.${key}" must be a number`;
  if (!isObject(s.latencyMs)) return '"summary.latencyMs" must be an object';
  if (!isObject(s.errors) || !isObject(s.errors.byClass)) return '"summary.errors.byClass" must be an object';
  if (!Array.isArray(raw.intervals)) return '"intervals" must be an array';
  if (!isObject(raw.endpoints)) return '"endpoints" must be an object';
  if (typeof raw.histogram !== 'string') return '"histogram" must be a string (base64, or empty when none was recorded)';
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> & { [k: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
