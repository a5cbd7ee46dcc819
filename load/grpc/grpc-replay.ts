/**
 * gRPC replay files (`--target grpc://… --proto FILE --replay calls.jsonl`): one call per line,
 *   {"method": "pkg.Service/Method", "body": {...}, "metadata": {"k": "v"}, "t": 0.25, "name": "score"}
 * `method` defaults to `--method`; `body` is the request message as JSON (proto field names);
 * `t` (seconds since the start of the recording, on every line or on none) makes the file timed
 * for `--timing original`. Every line is checked and encoded before the run; bad lines are named.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { protocolErrors } from '../protocol-errors.ts';
import { listSource } from '../sources/list.ts';
import type { PreparedRequest, TrafficSource } from '../sources/source.ts';
import { loadUnaryMethod, type UnaryMethod } from './methods.ts';

const lineSchema = z.object({
  method: z.string().min(1).optional(),
  body: z.unknown().optional(),
  metadata: z.record(z.string().regex(/^[0-9a-z_.-]+$/, 'gRPC metadata keys are lower-case letters, digits, "-", "_" and "."'), z.string()).optional(),
  t: z.number().finite().nonnegative().optional(),
  name: z.string().min(1).optional(),
}).strict();

const MAX_REPORTED = 10;

export function grpcReplaySource(file: string, proto: string, defaultMethod: string | undefined, headers: Record<string, string>): TrafficSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag: '--replay', value: file, rule: `the file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
  }
  const methods = new Map<string, UnaryMethod>();
  const problems: string[] = [];
  const requests: PreparedRequest[] = [];
  let timed: boolean | undefined;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    try {
      const parsed = lineSchema.safeParse(JSON.parse(line));
      if (!parsed.success) { problems.push(`${where}: ${parsed.error.issues.map((x) => `${x.path.join('.') || '(line)'} ${x.message}`).join(', ')}`); return; }
      const l = parsed.data;
      const name = l.method ?? defaultMethod;
      if (name === undefined) { problems.push(`${where}: no "method" and no --method`); return; }
      if ((l.t !== undefined) !== (timed ?? l.t !== undefined)) { problems.push(`${where}: "t" must be on every line or on none`); return; }
      timed = l.t !== undefined;
      let method = methods.get(name);
      if (!method) { method = loadUnaryMethod(proto, name); methods.set(name, method); }
      const req: PreparedRequest = { method: 'POST', url: method.path, headers: { ...headers, ...l.metadata }, body: method.encode(l.body ?? {}), endpoint: l.name ?? method.name };
      if (l.t !== undefined) req.t = l.t;
      requests.push(req);
    } catch (err) {
      problems.push(`${where}: ${err instanceof SyntaxError ? `not valid JSON (${err.message})` : (err as Error).message}`);
    }
  });
  if (problems.length > 0) throw protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag: '--replay', value: file, rule: problems.slice(0, MAX_REPORTED).join('; ') + (problems.length > MAX_REPORTED ? `; and ${problems.length - MAX_REPORTED} more` : '') });
  if (requests.length === 0) throw protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag: '--replay', value: file, rule: 'holds no call' });
  return listSource(requests, `gRPC replay ${file} (${requests.length} calls)`);
}
