/**
 * JSONL replay source (`--replay FILE.jsonl`). One request per line:
 *   {"method": "POST", "path": "/predict", "headers": {"k": "v"}, "body": {...}, "t": 0.25, "name": "predict"}
 * - exactly one of `url` (absolute) or `path` (resolved against --target);
 * - `body`: a JSON value is sent as JSON, a string as UTF-8 text; `body_base64` for raw bytes;
 * - `t`: seconds since the start of the recording (on every line or on none);
 * - `name`: endpoint group name (default: method + path template).
 * Blank lines are skipped. The whole file is validated before the run: every bad line is
 * reported with file:line and the rule it breaks, and the run does not start.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadErrors } from '../errors.ts';
import { listSource } from './list.ts';
import { prepareRequest, requestFields, requestSpecProblems, type RequestSpec } from './request-spec.ts';
import type { PreparedRequest, TrafficSource } from './source.ts';

const lineSchema = z.object({ ...requestFields, t: z.number().finite().nonnegative().optional() }).strict();

const MAX_REPORTED = 10;

export function jsonlReplaySource(file: string): TrafficSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw loadErrors.VIGIL_LOAD_REPLAY_NOT_FOUND({ file, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
  }
  return parseJsonlReplay(text, file);
}

export function parseJsonlReplay(text: string, file: string): TrafficSource {
  const problems: string[] = [];
  const requests: PreparedRequest[] = [];
  let firstTimedness: { line: number; timed: boolean } | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).trim();
    if (raw === '') continue;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push(`${where}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    const parsed = lineSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path.length > 0 ? `"${issue.path.map(String).join('.')}" ` : '';
        problems.push(`${where}: ${key}${issue.message}`);
      }
      continue;
    }
    const spec: RequestSpec = parsed.data;
    const cross = requestSpecProblems(spec);
    const timed = spec.t !== undefined;
    firstTimedness ??= { line: i + 1, timed };
    if (timed !== firstTimedness.timed) cross.push(`"t" must be on every line or on none (line ${firstTimedness.line} ${firstTimedness.timed ? 'has' : 'has no'} "t")`);
    if (cross.length > 0) {
      for (const p of cross) problems.push(`${where}: ${p}`);
      continue;
    }
    requests.push(prepareRequest(spec));
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED).join('; ');
    const more = problems.length > MAX_REPORTED ? `; and ${problems.length - MAX_REPORTED} more` : '';
    throw loadErrors.VIGIL_LOAD_REPLAY_MALFORMED({ problems: shown + more, file, count: problems.length });
  }
  if (requests.length === 0) throw loadErrors.VIGIL_LOAD_REPLAY_EMPTY({ file });
  return listSource(requests, `replay ${file} (${requests.length} requests)`);
}
