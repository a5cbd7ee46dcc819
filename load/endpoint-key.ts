/**
 * Endpoint grouping: requests are grouped by `name` when they carry one, otherwise by method and
 * path template — the path without query, with numeric and UUID segments folded to `:id`
 * (`GET /users/42/orders/7?x=1` → `GET /users/:id/orders/:id`), so per-endpoint tables stay small.
 */

const NUMERIC = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function endpointKey(method: string, url: string, name?: string): string {
  if (name !== undefined && name !== '') return name;
  return `${method.toUpperCase()} ${pathTemplate(url)}`;
}

export function pathTemplate(url: string): string {
  let path = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  path = path.replace(/[?#].*$/, '');
  if (!path.startsWith('/')) path = `/${path}`;
  return path
    .split('/')
    .map((seg) => (NUMERIC.test(seg) || UUID.test(seg) ? ':id' : seg))
    .join('/');
}
