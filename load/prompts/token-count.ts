/**
 * Distributions of a token count (output lengths): `fixed:128`, `uniform:32-256` (whole numbers,
 * both ends included), `lognormal:median=200,sigma=0.5` (σ in ln space, rounded, at least 1).
 * Used by `vigil load prompts --max-tokens` and by the fixture LLM server's output lengths.
 */
import { z } from 'zod';
import type { Rng } from '../../common/rng.ts';

export type TokenCount =
  | { kind: 'fixed'; n: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'lognormal'; median: number; sigma: number };

const positiveInt = z.number().int().positive();
export const tokenCountSchema: z.ZodType<TokenCount> = z.union([
  z.object({ kind: z.literal('fixed'), n: positiveInt }).strict(),
  z.object({ kind: z.literal('uniform'), min: positiveInt, max: positiveInt }).strict().refine((u) => u.min <= u.max, { message: 'min must be ≤ max' }),
  z.object({ kind: z.literal('lognormal'), median: z.number().positive(), sigma: z.number().min(0) }).strict(),
]);

export function drawTokenCount(d: TokenCount, rng: Rng): number {
  switch (d.kind) {
    case 'fixed': return d.n;
    case 'uniform': return d.min + Math.floor(rng.next() * (d.max - d.min + 1));
    case 'lognormal': return Math.max(1, Math.round(d.median * Math.exp(d.sigma * rng.normal())));
  }
}

/** Parses the text form; returns the rule broken as a string when it is not valid. */
export function parseTokenCount(text: string): TokenCount | string {
  const t = text.trim();
  const colon = t.indexOf(':');
  const kind = colon < 0 ? t : t.slice(0, colon);
  const params = colon < 0 ? '' : t.slice(colon + 1).trim();
  const whole = (s: string | undefined): number | undefined => (s !== undefined && /^\d+$/.test(s.trim()) && Number(s) > 0 ? Number(s) : undefined);
  if (kind === 'fixed') {
    const n = whole(params);
    return n === undefined ? 'fixed:N takes a whole number above 0' : { kind: 'fixed', n };
  }
  if (kind === 'uniform') {
    const [a, b, ...rest] = params.split('-');
    const min = whole(a);
    const max = whole(b);
    if (min === undefined || max === undefined || rest.length > 0) return 'uniform:MIN-MAX takes two whole numbers above 0';
    return min <= max ? { kind: 'uniform', min, max } : 'uniform:MIN-MAX needs MIN ≤ MAX';
  }
  if (kind === 'lognormal') {
    const kv = Object.fromEntries(params.split(',').map((p) => p.split('=').map((s) => s.trim())));
    if (Object.keys(kv).sort().join(',') !== 'median,sigma') return 'lognormal takes exactly median= and sigma=';
    const median = Number(kv['median']);
    const sigma = Number(kv['sigma']);
    if (!(median > 0) || !Number.isFinite(median)) return 'median must be a number above 0';
    if (!(sigma >= 0) || !Number.isFinite(sigma)) return 'sigma must be a number ≥ 0';
    return { kind: 'lognormal', median, sigma };
  }
  return `unknown distribution "${kind}": use fixed:N, uniform:MIN-MAX or lognormal:median=M,sigma=S`;
}
