/**
 * HAR replay source (`--har FILE.har`, scenario `har:`): HTTP Archive 1.2 as browsers and proxies
 * export it. Each entry's request becomes one request: method, URL, headers, postData (`text`, or
 * `params` encoded per `mimeType`); `startedDateTime` gives `t` for `--timing original`
 * (entries sorted by it: recordings are not always in order).
 *
 * - The recorded origin is dropped: path and query are replayed against `--target`, so a HAR
 *   saved from production never sends traffic back to production by accident.
 * - HTTP/2 pseudo-headers (`:authority`, `:path`...) and hop-by-hop / connection-specific headers
 *   (`host`, `content-length`, `connection`, `transfer-encoding`...) are dropped: the client sets them.
 * - A custom `_name` field on an entry names its endpoint group (HAR allows `_`-prefixed fields).
 * - Skipped, counted and reported (in the description and `config.harSkipped`): `CONNECT` entries
 *   (the tunnel a recording proxy such as BrowserMob opens for HTTPS; the requests inside it are
 *   entries of their own), entries without a response (status 0 or no `response`: aborted,
 *   blocked or failed in the browser), and entries the filter leaves out (har-filter.ts).
 * The whole file is validated before the run; every bad entry is reported with its index and rule.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { endpointKey } from '../endpoint-key.ts';
import { listSource } from './list.ts';
import { isFiltering, keepEntry, NO_FILTER, type HarFilter } from './har-filter.ts';
import { replayErrors } from '../replay-errors.ts';
import type { PreparedRequest, TrafficSource } from './source.ts';

const nameValue = z.object({ name: z.string(), value: z.string() }).passthrough();

const entrySchema = z.object({
  startedDateTime: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time'),
  _name: z.string().min(1).optional(),
  request: z.object({
    method: z.string().regex(/^[A-Za-z]+$/, 'must be an HTTP method such as GET or POST'),
    url: z.string().regex(/^https?:\/\/[^/]+/i, 'must be an absolute http(s) URL').refine((u) => URL.canParse(u), 'is not a valid URL (WHATWG URL parsing fails)'),
    headers: z.array(nameValue),
    cookies: z.array(nameValue).optional(),
    postData: z.object({
      mimeType: z.string(),
      text: z.string().optional(),
      params: z.array(z.object({ name: z.string(), value: z.string().optional(), fileName: z.string().optional(), contentType: z.string().optional() }).passthrough()).optional(),
    }).passthrough()
      .refine((p) => p.text !== undefined || p.params !== undefined, 'postData needs "text" or "params"')
      .optional(),
  }).passthrough(),
  response: z.object({ content: z.object({ mimeType: z.string().optional() }).passthrough().optional() }).passthrough().optional(),
}).passthrough();

type HarEntry = z.output<typeof entrySchema>;

/** Set by the client, or meaningless on a new connection (RFC 9110 §7.6.1, RFC 9113 §8.2.2). */
const DROPPED_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-authorization', 'proxy-authenticate', 'http2-settings']);

const MAX_REPORTED = 10;

/** Entries left out of a replay, by reason. */
export interface HarSkipped { connect: number; noResponse: number; filtered: number }

export function harSource(file: string, filter: HarFilter = NO_FILTER): TrafficSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw replayErrors.VIGIL_HAR_UNREADABLE({ file, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
  }
  return parseHar(text, file, filter);
}

export function parseHar(text: string, file: string, filter: HarFilter = NO_FILTER): TrafficSource {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw replayErrors.VIGIL_HAR_INVALID({ file, problems: `not valid JSON (${(err as Error).message})` });
  }
  const log = isObject(raw) ? raw.log : undefined;
  if (!isObject(log) || !Array.isArray(log.entries)) throw replayErrors.VIGIL_HAR_INVALID({ file, problems: '"log.entries" must be an array (HTTP Archive 1.2)' });
  const problems: string[] = [];
  const entries: HarEntry[] = [];
  const skipped: HarSkipped = { connect: 0, noResponse: 0, filtered: 0 };
  log.entries.forEach((value: unknown, i: number) => {
    const skip = skipReason(value);
    if (skip) { skipped[skip]++; return; }
    const parsed = entrySchema.safeParse(value);
    if (parsed.success) {
      if (keepEntry(filter, new URL(parsed.data.request.url), parsed.data.response?.content?.mimeType)) entries.push(parsed.data);
      else skipped.filtered++;
    } else for (const issue of parsed.error.issues) problems.push(`log.entries[${i}]${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`);
  });
  if (problems.length > 0) {
    const more = problems.length > MAX_REPORTED ? `; and ${problems.length - MAX_REPORTED} more` : '';
    throw replayErrors.VIGIL_HAR_INVALID({ file, problems: problems.slice(0, MAX_REPORTED).join('; ') + more });
  }
  if (entries.length === 0) {
    if (log.entries.length === 0) throw replayErrors.VIGIL_HAR_EMPTY({ file });
    throw replayErrors.VIGIL_HAR_ALL_SKIPPED({ file, total: log.entries.length, skipped: describeSkipped(skipped, isFiltering(filter)) || 'none' });
  }
  const start = Math.min(...entries.map((e) => Date.parse(e.startedDateTime)));
  const requests = entries
    .map((e) => toRequest(e, (Date.parse(e.startedDateTime) - start) / 1000))
    .sort((a, b) => (a.t as number) - (b.t as number)); // stable: equal times keep file order
  const skippedText = describeSkipped(skipped, isFiltering(filter));
  const source = listSource(requests, `har ${file} (${requests.length} requests${skippedText ? `; skipped ${skippedText}` : ''})`);
  return Object.freeze({ ...source, skipped: Object.freeze({ ...skipped }) });
}

/** A CONNECT tunnel or an entry without a response is skipped before it is validated: proxies record them incompletely. */
function skipReason(value: unknown): keyof HarSkipped | undefined {
  if (!isObject(value)) return undefined;
  const request = value.request;
  if (isObject(request) && typeof request.method === 'string' && request.method.toUpperCase() === 'CONNECT') return 'connect';
  const response = value.response;
  if (!isObject(response) || response.status === 0 || response.status === undefined) return 'noResponse';
  return undefined;
}

function describeSkipped(s: HarSkipped, filtering: boolean): string {
  const parts = [
    s.connect > 0 && `${s.connect} CONNECT tunnel${s.connect === 1 ? '' : 's'}`,
    s.noResponse > 0 && `${s.noResponse} without a response`,
    (s.filtered > 0 || filtering) && `${s.filtered} filtered out`,
  ].filter((x): x is string => Boolean(x));
  return parts.join(', ');
}

function toRequest(e: HarEntry, t: number): PreparedRequest {
  const r = e.request;
  const url = new URL(r.url);
  const path = url.pathname + url.search;
  const method = r.method.toUpperCase();
  const headers = harHeaders(r.headers);
  if (headers.cookie === undefined && r.cookies && r.cookies.length > 0) headers.cookie = r.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  let body: Uint8Array | undefined;
  if (r.postData) {
    const encoded = encodePostData(r.postData);
    body = encoded.body;
    if (headers['content-type'] === undefined && encoded.contentType) headers['content-type'] = encoded.contentType;
  }
  return { method, url: path, headers, body, endpoint: endpointKey(method, path, e._name), t };
}

/** Lower-cased names, pseudo- and hop-by-hop headers dropped, repeated headers joined. */
export function harHeaders(list: readonly { name: string; value: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of list) {
    const n = name.toLowerCase();
    if (n.startsWith(':') || DROPPED_HEADERS.has(n)) continue;
    out[n] = out[n] === undefined ? value : `${out[n]}${n === 'cookie' ? '; ' : ', '}${value}`;
  }
  return out;
}

type PostData = NonNullable<HarEntry['request']['postData']>;

function encodePostData(p: PostData): { body: Uint8Array; contentType: string | undefined } {
  const contentType = p.mimeType || undefined;
  if (p.text !== undefined) return { body: Buffer.from(p.text, 'utf8'), contentType };
  const params = p.params ?? [];
  if (/multipart\/form-data/i.test(p.mimeType)) {
    const boundary = /boundary=("?)([^";]+)\1/i.exec(p.mimeType)?.[2] ?? 'vigil-har-boundary';
    const parts = params.map((q) => {
      const disposition = `form-data; name="${q.name}"${q.fileName !== undefined ? `; filename="${q.fileName}"` : ''}`;
      return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${q.contentType ? `Content-Type: ${q.contentType}\r\n` : ''}\r\n${q.value ?? ''}\r\n`;
    });
    return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'), contentType: /boundary=/i.test(p.mimeType) ? p.mimeType : `multipart/form-data; boundary=${boundary}` };
  }
  const form = params.map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(q.value ?? '')}`).join('&');
  return { body: Buffer.from(form, 'utf8'), contentType: contentType ?? 'application/x-www-form-urlencoded' };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
