import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLError } from 'yaml';
import { z } from 'zod';
import { monitorErrors } from '../errors.ts';

/** Roles in increasing power: admin may do everything, ingest may also read. */
export const ROLES = ['viewer', 'ingest', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, ingest: 1, admin: 2 };

export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

/**
 * The configured tokens. Tokens are kept only as SHA-256 digests and compared with
 * `timingSafeEqual` on equal-length digests, so neither the comparison time nor a heap dump of
 * this object gives a token away. They are never logged.
 */
export interface TokenStore {
  readonly size: number;
  /** The role of a presented token, or undefined. Checks every entry (no early exit). */
  roleOf(token: string): Role | undefined;
}

const tokensFileSchema = z.array(z.object({ token: z.string().min(8), role: z.enum(ROLES) }).strict());

export function createTokenStore(entries: readonly { token: string; role: Role }[]): TokenStore {
  const digests = entries.map((e) => ({ digest: sha256(e.token), role: e.role }));
  return {
    size: digests.length,
    roleOf(token: string): Role | undefined {
      const presented = sha256(token);
      let found: Role | undefined;
      for (const entry of digests) {
        // Every entry is compared; the strongest matching role wins.
        if (timingSafeEqual(entry.digest, presented) && (found === undefined || RANK[entry.role] > RANK[found])) found = entry.role;
      }
      return found;
    },
  };
}

/** Tokens from VIGIL_{VIEWER,INGEST,ADMIN}_TOKEN (comma-separated lists) and an optional file. */
export function loadTokens(env: NodeJS.ProcessEnv, tokensFile?: string): TokenStore {
  const entries: { token: string; role: Role }[] = [];
  for (const role of ROLES) {
    const value = env[`VIGIL_${role.toUpperCase()}_TOKEN`];
    for (const token of (value ?? '').split(',').map((t) => t.trim()).filter(Boolean)) entries.push({ token, role });
  }
  if (tokensFile) entries.push(...readTokensFile(tokensFile));
  return createTokenStore(entries);
}

function readTokensFile(file: string): { token: string; role: Role }[] {
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw monitorErrors.VIGIL_MONITOR_BAD_TOKENS_FILE({ file, reason: syntaxReason(err) });
  }
  const parsed = tokensFileSchema.safeParse(raw);
  if (!parsed.success) {
    // Never echo the offending value: it may be a token.
    const issue = parsed.error.issues[0];
    throw monitorErrors.VIGIL_MONITOR_BAD_TOKENS_FILE({ file, reason: `${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? 'invalid'} (expected a list of {token, role} with role viewer|ingest|admin and tokens of at least 8 characters)` });
  }
  return parsed.data;
}

/**
 * Why a tokens file could not be read or parsed, without quoting any of it: parsers put the text
 * around the error into their messages (Node's JSON.parse, yaml's snippet), and that text may be
 * a token. Only the position and the parser's error kind are kept.
 */
function syntaxReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { linePos?: { line: number; col: number }[] };
  if (e instanceof YAMLError) {
    const at = e.linePos?.[0];
    return `YAML syntax error${at ? ` at line ${at.line}, column ${at.col}` : ''} (${e.code})`;
  }
  if (err instanceof SyntaxError) {
    const position = /position (\d+)/.exec(err.message)?.[1];
    return `not valid JSON${position ? ` (syntax error at character ${position})` : ''}`;
  }
  return e.code ?? 'unreadable';
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
