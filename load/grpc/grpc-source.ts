/**
 * Traffic sources of gRPC runs and of the built-in Open Inference Protocol:
 * - any unary method: `--target grpc://H:P --proto FILE --method pkg.Service/Method --body JSON`;
 * - `--protocol kserve-v2 --model NAME --inputs @rows.jsonl`: one ModelInfer per line over gRPC
 *   (grpc:// or grpcs:// target, no proto needed), or the same rows as REST bodies of
 *   `POST /v2/models/NAME[/versions/V]/infer` on an http(s):// target.
 * Every message is encoded once, before the run; metadata comes from `--header`.
 */
import { readFileSync } from 'node:fs';
import { endpointKey } from '../endpoint-key.ts';
import { protocolErrors } from '../protocol-errors.ts';
import { listSource } from '../sources/list.ts';
import { parseHeaderFlags } from '../sources/single.ts';
import type { PreparedRequest, TrafficSource } from '../sources/source.ts';
import { KSERVE_V2_PROTO, loadUnaryMethod, MODEL_INFER } from './methods.ts';
import { grpcReplaySource } from './grpc-replay.ts';
import { parseV2Line, v2GrpcMessage, v2RestBody, type V2Request } from './v2-request.ts';

export const PROTOCOLS = ['kserve-v2'] as const;

export interface GrpcSourceInput {
  grpc: boolean;
  proto?: string | undefined;
  method?: string | undefined;
  body?: string | undefined;
  header?: readonly string[] | undefined;
  protocol?: string | undefined;
  model?: string | undefined;
  modelVersion?: string | undefined;
  inputs?: string | undefined;
  name?: string | undefined;
  replay?: string | undefined;
}

const bad = (flag: string, value: string, rule: string): Error => protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag, value, rule });
const MAX_REPORTED = 10;

export function protocolSource(i: GrpcSourceInput): TrafficSource {
  if (i.protocol !== undefined) return kserveSource(i);
  if (!i.grpc) throw bad('--proto', i.proto ?? '', 'gRPC options need a grpc:// or grpcs:// --target');
  if (i.replay !== undefined) {
    if (i.proto === undefined) throw bad('--replay', i.replay, 'a gRPC replay file needs --proto FILE (the methods its lines name)');
    if (i.body !== undefined) throw bad('--body', i.body, 'the calls of --replay carry their own bodies');
    return grpcReplaySource(i.replay, i.proto, i.method, metadata(i.header));
  }
  if (i.proto === undefined || i.method === undefined) throw bad('--target', 'grpc://…', 'a gRPC run needs --proto FILE and --method package.Service/Method (or --protocol kserve-v2 --model NAME --inputs @rows.jsonl)');
  if (i.inputs !== undefined || i.model !== undefined) throw bad(i.inputs !== undefined ? '--inputs' : '--model', i.inputs ?? i.model ?? '', 'belongs to --protocol kserve-v2');
  const method = loadUnaryMethod(i.proto, i.method);
  const body = i.body === undefined ? {} : readJson('--body', i.body);
  const request: PreparedRequest = { method: 'POST', url: method.path, headers: metadata(i.header), body: method.encode(body), endpoint: i.name ?? method.name };
  return listSource([request], `gRPC ${method.name}`);
}

function kserveSource(i: GrpcSourceInput): TrafficSource {
  if (!(PROTOCOLS as readonly string[]).includes(i.protocol as string)) throw bad('--protocol', i.protocol as string, `use one of ${PROTOCOLS.join(', ')}`);
  if (i.model === undefined || i.model === '') throw bad('--model', i.model ?? '', '--protocol kserve-v2 needs the model name, e.g. --model classifier');
  if (i.inputs === undefined) throw bad('--inputs', '', '--protocol kserve-v2 needs --inputs @rows.jsonl (one V2 request or row per line) or a JSON request');
  if (i.proto !== undefined || i.body !== undefined) throw bad(i.proto !== undefined ? '--proto' : '--body', i.proto ?? i.body ?? '', 'the Open Inference Protocol is built in: give --inputs instead');
  const rows = readRows(i.inputs);
  const headers = metadata(i.header);
  if (i.grpc) {
    const infer = loadUnaryMethod(KSERVE_V2_PROTO, MODEL_INFER);
    const requests = rows.map((r): PreparedRequest => ({ method: 'POST', url: infer.path, headers, body: infer.encode(v2GrpcMessage(r, i.model as string, i.modelVersion)), endpoint: i.name ?? `${MODEL_INFER} ${i.model}` }));
    return listSource(requests, `kserve-v2 gRPC ModelInfer ${i.model} (${rows.length} request${rows.length === 1 ? '' : 's'})`);
  }
  const path = `/v2/models/${encodeURIComponent(i.model)}${i.modelVersion ? `/versions/${encodeURIComponent(i.modelVersion)}` : ''}/infer`;
  const rest = { ...headers, 'content-type': 'application/json' };
  const requests = rows.map((r): PreparedRequest => ({ method: 'POST', url: path, headers: rest, body: Buffer.from(JSON.stringify(v2RestBody(r))), endpoint: endpointKey('POST', path, i.name) }));
  return listSource(requests, `kserve-v2 REST ${path} (${rows.length} request${rows.length === 1 ? '' : 's'})`);
}

/** `@file` (JSON lines, or one JSON document) or an inline JSON request → V2 requests; every bad line named. */
function readRows(spec: string): V2Request[] {
  let text = spec;
  let where = '--inputs';
  if (spec.startsWith('@')) {
    where = spec.slice(1);
    try {
      text = readFileSync(where, 'utf8');
    } catch (err) {
      throw bad('--inputs', spec, `the file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  const lines = text.split('\n').map((l, n) => ({ l: l.trim(), n: n + 1 })).filter(({ l }) => l !== '');
  const whole = lines.length !== 1 ? tryJson(text) : undefined; // a pretty-printed single request
  const docs = whole !== undefined ? [{ value: whole, n: 1 }] : lines.map(({ l, n }) => ({ value: tryJson(l), n, raw: l }));
  const problems: string[] = [];
  const out: V2Request[] = [];
  for (const { value, n } of docs) {
    const parsed = value === undefined ? 'not valid JSON' : parseV2Line(value);
    if (typeof parsed === 'string') problems.push(`${where}:${n}: ${parsed}`);
    else out.push(parsed);
  }
  if (problems.length > 0) throw bad('--inputs', spec, problems.slice(0, MAX_REPORTED).join('; ') + (problems.length > MAX_REPORTED ? `; and ${problems.length - MAX_REPORTED} more` : ''));
  if (out.length === 0) throw bad('--inputs', spec, 'holds no request');
  return out;
}

function tryJson(text: string): unknown {
  try { return JSON.parse(text) as unknown; } catch { return undefined; }
}

function readJson(flag: string, spec: string): unknown {
  let text = spec;
  if (spec.startsWith('@')) {
    try { text = readFileSync(spec.slice(1), 'utf8'); } catch (err) { throw bad(flag, spec, `the file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`); }
  }
  const v = tryJson(text);
  if (v === undefined) throw bad(flag, spec, 'is not valid JSON (a gRPC request is written as JSON with the proto\'s field names)');
  return v;
}

/** gRPC metadata keys: lower-case letters, digits, `-`, `_`, `.`; `-bin` keys carry base64 binary values; `grpc-` is reserved. */
function metadata(flags: readonly string[] | undefined): Record<string, string> {
  const headers = parseHeaderFlags(flags);
  for (const key of Object.keys(headers)) {
    if (!/^[0-9a-z_.-]+$/.test(key) || key.startsWith('grpc-')) throw bad('--header', key, 'gRPC metadata keys are lower-case letters, digits, "-", "_" and "." and do not start with "grpc-"');
  }
  return headers;
}
