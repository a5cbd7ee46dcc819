/**
 * The single-request source of `vigil load run --method --path --header --body` and the
 * scenario file's `requests:` list.
 */
import { readFileSync } from 'node:fs';
import { loadErrors } from '../errors.ts';
import { listSource } from './list.ts';
import { HEADER_NAME, prepareRequest, type RequestSpec } from './request-spec.ts';
import type { TrafficSource } from './source.ts';

export interface SingleRequestFlags {
  method?: string | undefined;
  path?: string | undefined;
  /** `Name: value` strings. */
  headers?: readonly string[] | undefined;
  /** `@file` (raw bytes) or a JSON text. */
  body?: string | undefined;
  name?: string | undefined;
}

/** `--header 'Name: value'` flags → lower-cased names; a bad one is VIGIL_LOAD_BAD_HEADER. */
export function parseHeaderFlags(flags: readonly string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of flags ?? []) {
    const i = h.indexOf(':');
    const key = i > 0 ? h.slice(0, i).trim() : '';
    if (!HEADER_NAME.test(key)) throw loadErrors.VIGIL_LOAD_BAD_HEADER({ value: h });
    headers[key.toLowerCase()] = h.slice(i + 1).trim();
  }
  return headers;
}

export function singleRequestSource(spec: SingleRequestFlags): TrafficSource {
  const headers = parseHeaderFlags(spec.headers);
  const req: RequestSpec = { method: spec.method?.toUpperCase(), path: spec.path ?? '/', headers, name: spec.name };
  if (spec.path !== undefined && /^https?:\/\//i.test(spec.path)) {
    req.url = spec.path;
    req.path = undefined;
  }
  if (spec.body !== undefined) {
    if (spec.body.startsWith('@')) {
      const file = spec.body.slice(1);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        throw loadErrors.VIGIL_LOAD_BAD_BODY({ value: spec.body, rule: `the file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
      }
      req.body_base64 = bytes.toString('base64');
      if (file.endsWith('.json')) headers['content-type'] ??= 'application/json';
    } else {
      try {
        req.body = JSON.parse(spec.body) as unknown;
      } catch {
        throw loadErrors.VIGIL_LOAD_BAD_BODY({ value: spec.body, rule: 'it is not valid JSON' });
      }
      if (typeof req.body === 'string') req.body = spec.body; // a JSON string literal is sent as JSON text
      headers['content-type'] ??= 'application/json';
    }
  }
  const prepared = prepareRequest(req);
  return listSource([prepared], `${prepared.method} ${prepared.url}`);
}

/** The scenario file's `requests:` list, cycled in order. */
export function requestListSource(specs: readonly RequestSpec[]): TrafficSource {
  const prepared = specs.map(prepareRequest);
  return listSource(prepared, prepared.length === 1 ? `${prepared[0]?.method} ${prepared[0]?.url}` : `${prepared.length} requests`);
}
