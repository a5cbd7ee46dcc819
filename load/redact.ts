import { Writable } from 'node:stream';
import type { TrafficSource, PreparedRequest } from './sources/source.ts';
import type { LoadResult } from './result.ts';

/**
 * Secrets in recorded traffic are SENT as recorded but never WRITTEN: result files, reports and
 * log lines go through these functions. Two layers:
 *  - structural: `redactHeaders`/`redactUrl` replace the values of secret-looking headers and
 *    query parameters wherever requests are described;
 *  - by value: a `SecretScrubber` learns every secret value of a traffic source and removes it
 *    from any text about to be written, so a secret cannot leak through a field nobody thought of
 *    (an error message quoting a URL, an endpoint name, a config echo).
 */

export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'apikey',
  'x-auth-token', 'x-access-token', 'x-amz-security-token', 'x-csrf-token', 'x-xsrf-token', 'ocp-apim-subscription-key',
]);
/** Header or parameter names that look like they carry a credential (x-goog-api-key, my_token...). */
const SECRET_NAME = /(api[-_]?key|token|secret|passw(or)?d|auth|credential|session|signature|^sig$|^key$|^code$)/i;

export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_HEADERS.has(n) || SECRET_NAME.test(n);
}

export function isSecretParam(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A copy of the headers with the values of secret headers replaced by `[REDACTED]`. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSecretHeader(k) ? REDACTED : v;
  return out;
}

/** The URL (or every URL in a text) with secret query parameters and userinfo (user:password@) redacted; other text unchanged. */
export function redactUrl(url: string): string {
  return url
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, `$1${REDACTED}@`)
    .replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (whole, sep: string, name: string) => (isSecretParam(safeDecode(name)) ? `${sep}${name}=${REDACTED}` : whole));
}

/** The secret values one request carries (header values, cookie values, secret query parameters). */
export function secretValues(req: Pick<PreparedRequest, 'headers' | 'url'>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(req.headers)) {
    if (!isSecretHeader(k)) continue;
    out.push(v);
    // `Bearer abc` → also `abc`; `a=1; b=2` (cookies) → also `1`, `2`.
    const scheme = /cookie/i.test(k) ? undefined : /^\s*\S+\s+(\S+)\s*$/.exec(v)?.[1];
    if (scheme) out.push(scheme);
    for (const part of v.split(/[;,]/)) {
      const value = part.split('=').slice(1).join('=').trim();
      if (value) out.push(value);
    }
  }
  for (const m of req.url.matchAll(/[?&]([^=&#\s]+)=([^&#\s]*)/g)) {
    if (isSecretParam(safeDecode(m[1] as string)) && m[2]) out.push(m[2], safeDecode(m[2]));
  }
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/i.exec(req.url)?.[1];
  if (userinfo) out.push(userinfo, ...userinfo.split(':'));
  return out;
}

/** Removes known secret values from any text before it is written anywhere. */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  /** Values shorter than this are not scrubbed: they would match ordinary text. */
  static readonly MIN_LENGTH = 6;

  add(values: Iterable<string>): this {
    for (const v of values) {
      if (v.length < SecretScrubber.MIN_LENGTH) continue;
      this.secrets.add(v);
      // The same value as it appears inside JSON strings and URLs.
      this.secrets.add(JSON.stringify(v).slice(1, -1));
      this.secrets.add(encodeURIComponent(v));
    }
    return this;
  }

  get size(): number {
    return this.secrets.size;
  }

  scrub(text: string): string {
    if (this.secrets.size === 0) return text;
    let out = text;
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    return out;
  }

  /**
   * A copy of a JSON-like value with every string (and object key) scrubbed — except encoded
   * histograms, which are base64 data where a coincidental match must not corrupt the counts.
   */
  scrubValue<T>(value: T): T {
    const walk = (v: unknown, key: string): unknown => {
      if (typeof v === 'string') return key === 'histogram' ? v : this.scrub(v);
      if (Array.isArray(v)) return v.map((x) => walk(x, ''));
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.scrub(k), walk(x, k)]));
      return v;
    };
    return walk(value, '') as T;
  }
}

/** A scrubber that knows every secret of a traffic source (every distinct request is read once). */
export function scrubberFor(source: TrafficSource): SecretScrubber {
  const scrubber = new SecretScrubber();
  for (let i = 0; i < source.size; i++) scrubber.add(secretValues(source.at(i)));
  return scrubber;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** A result safe to write: known secrets scrubbed everywhere, secret URL parts redacted. */
export function redactResult(result: LoadResult, scrubber: SecretScrubber): LoadResult {
  const copy = scrubber.scrubValue(result);
  copy.target = redactUrl(copy.target);
  copy.endpoints = Object.fromEntries(Object.entries(copy.endpoints).map(([k, v]) => [redactUrl(k), v]));
  return copy;
}

/** A stream that scrubs every chunk before passing it on (for progress and log lines). */
export function scrubbingStream<S extends NodeJS.WritableStream & { isTTY?: boolean }>(out: S, scrubber: SecretScrubber): NodeJS.WritableStream & { isTTY?: boolean } {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      out.write(scrubber.scrub(redactUrl(chunk.toString())));
      callback();
    },
  }) as Writable & { isTTY?: boolean };
  if (out.isTTY !== undefined) stream.isTTY = out.isTTY;
  return stream;
}
