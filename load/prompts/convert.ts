/**
 * `vigil load prompts`: options from flags (parse), then the conversion (run): read the recorded
 * prompts, keep the usable ones (up to --limit, within --max-prompt-tokens), write the replay file.
 */
import { createRng, streamSeed } from '../../common/rng.ts';
import { promptsErrors } from './errors.ts';
import { promptTokens, requestLine, type MaxTokens, type ReplayLine, type RequestShape } from './build.ts';
import { readPrompts, type PromptsFormat } from './read.ts';
import { parseTokenCount } from './token-count.ts';

export interface PromptsFlags {
  format?: string; api?: string; path?: string; model?: string; maxTokens?: string; stream?: boolean; usage?: boolean;
  extraBody?: string; limit?: string; maxPromptTokens?: string; seed?: string; name?: string;
}

export interface PromptsOptions extends RequestShape {
  input: string;
  format: PromptsFormat;
  limit: number | undefined;
  maxPromptTokens: number | undefined;
  seed: number;
}

export interface PromptsResult {
  lines: ReplayLine[];
  /** Entries not used, by reason. */
  skipped: Record<string, number>;
  /** max_tokens of the written lines: min, p50, p90, max. */
  maxTokens: { min: number; p50: number; p90: number; max: number };
}

export function resolvePromptsOptions(input: string, f: PromptsFlags): PromptsOptions {
  const bad = (name: string, value: string, rule: string): never => { throw promptsErrors.VIGIL_PROMPTS_BAD_OPTION({ name, value, rule }); };
  const format = (f.format ?? 'auto') as PromptsFormat;
  if (!['auto', 'sharegpt', 'lines'].includes(format)) bad('--format', format, 'use sharegpt, lines or auto');
  const api = (f.api ?? 'chat') as RequestShape['api'];
  if (api !== 'chat' && api !== 'completions') bad('--api', api, 'use chat or completions');
  const path = f.path ?? (api === 'chat' ? '/v1/chat/completions' : '/v1/completions');
  if (!path.startsWith('/')) bad('--path', path, 'must start with /');
  const maxTokensText = f.maxTokens ?? (format === 'lines' ? 'fixed:128' : 'answer');
  let maxTokens: MaxTokens;
  if (maxTokensText === 'answer') maxTokens = { kind: 'answer' };
  else {
    const parsed = parseTokenCount(/^\d+$/.test(maxTokensText) ? `fixed:${maxTokensText}` : maxTokensText);
    maxTokens = typeof parsed === 'string' ? bad('--max-tokens', maxTokensText, `${parsed} (or "answer": the recorded answer's length)`) : parsed;
  }
  let extraBody: Record<string, unknown> = {};
  if (f.extraBody !== undefined) {
    let v: unknown;
    try { v = JSON.parse(f.extraBody); } catch { v = undefined; }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('--extra-body', f.extraBody, 'must be a JSON object, e.g. \'{"ignore_eos":true}\'');
    extraBody = v as Record<string, unknown>;
  }
  const whole = (name: string, text: string | undefined, min: number): number | undefined => {
    if (text === undefined) return undefined;
    const v = Number(text);
    return Number.isSafeInteger(v) && v >= min ? v : bad(name, text, `must be a whole number, ${min} or more`);
  };
  return {
    input, format, api, path, model: f.model, maxTokens, stream: f.stream ?? true, usage: f.usage ?? true, extraBody, name: f.name,
    limit: whole('--limit', f.limit, 1), maxPromptTokens: whole('--max-prompt-tokens', f.maxPromptTokens, 1), seed: whole('--seed', f.seed, 0) ?? 1,
  };
}

export async function convertPrompts(o: PromptsOptions): Promise<PromptsResult> {
  const rng = createRng(streamSeed(o.seed, 4));
  const lines: ReplayLine[] = [];
  const skipped: Record<string, number> = {};
  const skip = (why: string): void => { skipped[why] = (skipped[why] ?? 0) + 1; };
  for await (const entry of readPrompts(o.input, o.format)) {
    if (o.limit !== undefined && lines.length >= o.limit) break;
    if ('skipped' in entry) { skip(entry.skipped); continue; }
    if (o.maxPromptTokens !== undefined && promptTokens(entry) > o.maxPromptTokens) { skip(`prompt over ${o.maxPromptTokens} tokens`); continue; }
    const line = requestLine(entry, o, rng);
    if (!line) { skip('no recorded answer (for --max-tokens answer)'); continue; }
    lines.push(line);
  }
  if (lines.length === 0) {
    const why = Object.entries(skipped).map(([k, n]) => `${n} × ${k}`).join(', ') || 'the file is empty';
    throw promptsErrors.VIGIL_PROMPTS_EMPTY({ file: o.input, skipped: why });
  }
  const sorted = lines.map((l) => l.body['max_tokens'] as number).sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
  return { lines, skipped, maxTokens: { min: sorted[0] as number, p50: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1] as number } };
}
