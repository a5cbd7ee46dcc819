/**
 * A request as users write it (flags, scenario `requests:`, one JSONL line), turned into the
 * PreparedRequest the engine sends. Bodies: a JSON value is sent as JSON (content-type
 * application/json unless given), a string is sent as UTF-8 text, `body_base64` as raw bytes.
 */
import { z } from 'zod';
import { endpointKey } from '../endpoint-key.ts';
import type { PreparedRequest } from './source.ts';

/** RFC 9110 §5.1: a header field name is a token. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const HTTP_METHOD = z.string().regex(/^[A-Za-z]+$/, 'must be an HTTP method such as GET or POST').transform((m) => m.toUpperCase());

/** Fields shared by scenario `requests:` entries and JSONL lines. Exactly one of url/path. */
export const requestFields = {
  name: z.string().min(1).optional(),
  method: HTTP_METHOD.optional(),
  url: z.string().regex(/^https?:\/\/[^/]+/i, 'must be an absolute http(s) URL').optional(),
  path: z.string().startsWith('/', 'must start with /').optional(),
  headers: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
  body: z.unknown().optional(),
  body_base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64').optional(),
};

export interface RequestSpec {
  name?: string | undefined;
  method?: string | undefined;
  url?: string | undefined;
  path?: string | undefined;
  headers?: Record<string, string> | undefined;
  body?: unknown;
  body_base64?: string | undefined;
  t?: number | undefined;
}

/** Cross-field rules, as messages (empty when fine). */
export function requestSpecProblems(spec: RequestSpec): string[] {
  const problems: string[] = [];
  if ((spec.url === undefined) === (spec.path === undefined)) problems.push('exactly one of "url" and "path" is required');
  if (spec.body !== undefined && spec.body_base64 !== undefined) problems.push('"body" and "body_base64" exclude each other');
  return problems;
}

export function prepareRequest(spec: RequestSpec): PreparedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k.toLowerCase()] = v;
  let body: Uint8Array | undefined;
  if (spec.body_base64 !== undefined) {
    body = Buffer.from(spec.body_base64, 'base64');
  } else if (typeof spec.body === 'string') {
    body = Buffer.from(spec.body, 'utf8');
  } else if (spec.body !== undefined) {
    body = Buffer.from(JSON.stringify(spec.body), 'utf8');
    headers['content-type'] ??= 'application/json';
  }
  const method = spec.method ?? (body ? 'POST' : 'GET');
  const url = spec.url ?? spec.path ?? '/';
  const prepared: PreparedRequest = { method, url, headers, body, endpoint: endpointKey(method, url, spec.name) };
  if (spec.t !== undefined) prepared.t = spec.t;
  return prepared;
}
