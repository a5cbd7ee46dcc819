import { loadErrors } from '../load/errors.ts';
import type { LoadInput } from '../load/resolve.ts';

/**
 * `vigil load run URL` as autocannon and k6 users type it: a first argument that is an http(s)
 * URL is the target, not a scenario file. Its path is the request's path (`http://h/predict`
 * sends `/predict`) unless `--path` or a replay/HAR source is given, in which case the URL is the
 * base the paths are resolved against, as `--target` is. Pure: returns the input to resolve.
 */
export function applyPositionalTarget<T extends Partial<LoadInput>>(arg: string | undefined, flags: T): T & { scenarioFile: string | undefined } {
  if (arg === undefined || !/^https?:\/\//i.test(arg)) return { ...flags, scenarioFile: arg };
  if (flags.target !== undefined) throw loadErrors.VIGIL_LOAD_TWO_TARGETS({ url: arg, target: flags.target });
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    throw loadErrors.VIGIL_LOAD_BAD_TARGET({ value: arg });
  }
  const asBase = flags.path !== undefined || flags.replay !== undefined || flags.har !== undefined;
  if (asBase || (url.pathname === '/' && url.search === '')) return { ...flags, target: arg, scenarioFile: undefined };
  // Userinfo stays in the target, as with --target (redacted in every printed line).
  const origin = `${url.protocol}//${url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : ''}${url.host}`;
  return { ...flags, target: origin, path: `${url.pathname}${url.search}`, scenarioFile: undefined };
}
