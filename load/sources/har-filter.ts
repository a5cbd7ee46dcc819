/**
 * Which HAR entries a replay keeps (`--har-include-host`, `--har-exclude-type`): a browser
 * recording holds the page, its scripts, images and third-party calls around the few API calls
 * worth replaying (k6's converter filters the same way: by host, and by static asset type).
 * Pure: patterns are parsed once, then matched against an entry's URL and response MIME type.
 */
import { replayErrors } from '../replay-errors.ts';

export interface HarFilter {
  /** Host patterns: `api.example.com`, `api.example.com:8443`, `*.example.com`; empty = every host. */
  readonly includeHosts: readonly string[];
  /** MIME types (`image/png`, `image/*`) and file extensions (`.js`, `png`) to leave out. */
  readonly excludeTypes: readonly string[];
}

export const NO_FILTER: HarFilter = Object.freeze({ includeHosts: [], excludeTypes: [] });

const HOST = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;
const MIME = /^[a-z0-9!#$&^_.+-]+\/(\*|[a-z0-9!#$&^_.+-]+)$/i;
const EXTENSION = /^\.?[a-z0-9]+$/i;

/** Flag values (repeatable, each may be a comma list) → a validated filter; bad patterns are coded errors. */
export function parseHarFilter(includeHost: readonly string[] | undefined, excludeType: readonly string[] | undefined): HarFilter {
  const split = (vs: readonly string[] | undefined): string[] => (vs ?? []).flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  const hosts = split(includeHost);
  for (const h of hosts) if (!HOST.test(h)) throw replayErrors.VIGIL_HAR_BAD_FILTER({ flag: '--har-include-host', value: h, rule: 'a host name, host:port, [IPv6] or *.domain' });
  const types = split(excludeType);
  for (const t of types) if (!MIME.test(t) && !EXTENSION.test(t)) throw replayErrors.VIGIL_HAR_BAD_FILTER({ flag: '--har-exclude-type', value: t, rule: 'a MIME type (image/png, image/*) or a file extension (.js, png)' });
  return Object.freeze({ includeHosts: Object.freeze(hosts), excludeTypes: Object.freeze(types.map((t) => (MIME.test(t) || t.startsWith('.') ? t : `.${t}`))) });
}

export function isFiltering(f: HarFilter): boolean {
  return f.includeHosts.length > 0 || f.excludeTypes.length > 0;
}

/** True when the entry (its URL and its response's MIME type) passes the filter. */
export function keepEntry(f: HarFilter, url: URL, responseMime: string | undefined): boolean {
  if (f.includeHosts.length > 0 && !f.includeHosts.some((p) => hostMatches(p, url))) return false;
  if (f.excludeTypes.length === 0) return true;
  const mime = responseMime?.split(';')[0]?.trim().toLowerCase() ?? '';
  const ext = extensionOf(url.pathname);
  return !f.excludeTypes.some((t) => (t.startsWith('.') ? t === ext : mimeMatches(t, mime)));
}

function hostMatches(pattern: string, url: URL): boolean {
  const withPort = /:\d+$/.test(pattern);
  const host = withPort ? `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}` : url.hostname;
  const h = host.toLowerCase();
  if (!pattern.startsWith('*.')) return h === pattern;
  const suffix = pattern.slice(1); // ".example.com"
  return h.endsWith(suffix) || h === suffix.slice(1);
}

function mimeMatches(pattern: string, mime: string): boolean {
  if (mime === '') return false;
  return pattern.endsWith('/*') ? mime.startsWith(pattern.slice(0, -1)) : mime === pattern;
}

function extensionOf(pathname: string): string {
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(dot).toLowerCase() : '';
}
