import { loadErrors } from './errors.ts';

/**
 * `${VAR}` and `${VAR:-default}` in a scenario file's text, replaced from the environment before
 * the file is parsed (so `rate: ${RATE:-50}` is a number), as docker compose and k6's `__ENV` users
 * expect. `$${` writes a literal `${`. An unset (or, with `:-`, empty) variable without a default
 * is an error naming every such variable and its line, so a run never starts against `${TARGET}`.
 * Pure: the environment is passed in.
 */
export function interpolateEnv(text: string, env: Readonly<Record<string, string | undefined>>, file: string): string {
  const missing: string[] = [];
  const out = text.replace(/\$(\$\{)|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, escaped: string | undefined, name: string, fallback: string | undefined, offset: number) => {
    if (escaped) return '${';
    const value = env[name];
    if (value !== undefined && (value !== '' || fallback === undefined)) return value;
    if (fallback !== undefined) return fallback;
    missing.push(`${name} (line ${text.slice(0, offset).split('\n').length})`);
    return whole;
  });
  if (missing.length > 0) throw loadErrors.VIGIL_LOAD_ENV_UNSET({ file, names: missing.join(', ') });
  return out;
}
