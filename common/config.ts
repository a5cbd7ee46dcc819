import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { commonErrors } from './common-errors.ts';

/**
 * Reads a YAML or JSON config file and validates it once against a zod schema.
 * Schemas should be `.strict()` so unknown keys are rejected; the result is deep-frozen.
 * Errors name the file, the path of the bad key and the rule.
 */
export function loadConfigFile<S extends z.ZodType>(file: string, schema: S): Readonly<z.output<S>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw commonErrors.VIGIL_CONFIG_NOT_FOUND({ file, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
  }
  return parseConfigText(text, file, schema);
}

export function parseConfigText<S extends z.ZodType>(text: string, file: string, schema: S): Readonly<z.output<S>> {
  const format = file.endsWith('.json') ? 'JSON' : 'YAML';
  let raw: unknown;
  try {
    raw = format === 'JSON' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw commonErrors.VIGIL_CONFIG_PARSE({ file, format, reason: (err as Error).message.split('\n')[0] });
  }
  return validateConfig(raw ?? {}, file, schema);
}

export function validateConfig<S extends z.ZodType>(raw: unknown, file: string, schema: S): Readonly<z.output<S>> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
    throw commonErrors.VIGIL_CONFIG_INVALID({ file, issues });
  }
  return deepFreeze(result.data);
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
