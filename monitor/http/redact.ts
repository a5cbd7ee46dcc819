/** `scheme://user:password@` anywhere in a text (a URL, an error message) → `scheme://***@`. */
const USERINFO = /\b([a-z][\w+.-]*:\/\/)[^/?#@\s]*@/gi;

/** A URL or any text that may hold one, with every credential (userinfo) replaced by `***`. */
export function redactUrls(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

/** The upstream base URL split into what is dialled and the Basic credentials it carried, if any. */
export function splitUpstream(upstream: string): { origin: string; basePath: string; authorization: string | undefined; redacted: string } {
  const url = new URL(upstream);
  const authorization = url.username || url.password
    ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    : undefined;
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), authorization, redacted: redactUrls(upstream) };
}
