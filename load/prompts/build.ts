/**
 * A recorded prompt → one replay line (`vigil load run --replay`) holding an OpenAI-compatible
 * chat or text completion request: model, the messages (or prompt), `max_tokens` from the recorded
 * answer's length (its token estimate) or from a distribution, streaming with usage by default,
 * and any extra body fields (`{"ignore_eos": true}` to make vLLM generate exactly max_tokens).
 */
import type { Rng } from '../../common/rng.ts';
import { estimateTokens, type PromptRecord } from './conversation.ts';
import { drawTokenCount, type TokenCount } from './token-count.ts';

export type MaxTokens = { kind: 'answer' } | TokenCount;

export interface RequestShape {
  api: 'chat' | 'completions';
  path: string;
  model: string | undefined;
  maxTokens: MaxTokens;
  stream: boolean;
  usage: boolean;
  extraBody: Record<string, unknown>;
  name: string | undefined;
}

export interface ReplayLine {
  method: 'POST';
  path: string;
  name?: string;
  body: Record<string, unknown>;
}

/** The line for `p`, or undefined when max_tokens comes from the answer and it has none. */
export function requestLine(p: PromptRecord, shape: RequestShape, rng: Rng): ReplayLine | undefined {
  const maxTokens = shape.maxTokens.kind === 'answer'
    ? (p.answerChars === undefined ? undefined : estimateTokens(p.answerChars))
    : drawTokenCount(shape.maxTokens, rng);
  if (maxTokens === undefined) return undefined;
  const body: Record<string, unknown> = {};
  if (shape.model !== undefined) body['model'] = shape.model;
  if (shape.api === 'chat') body['messages'] = p.messages;
  else body['prompt'] = p.messages.map((m) => m.content).join('\n\n');
  body['max_tokens'] = maxTokens;
  if (shape.stream) {
    body['stream'] = true;
    if (shape.usage) body['stream_options'] = { include_usage: true };
  }
  Object.assign(body, shape.extraBody);
  return { method: 'POST', path: shape.path, ...(shape.name ? { name: shape.name } : {}), body };
}

/** Estimated tokens of the prompt (all its messages). */
export function promptTokens(p: PromptRecord): number {
  return estimateTokens(p.messages.reduce((n, m) => n + m.content.length, 0));
}
