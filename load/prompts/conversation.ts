/**
 * One recorded conversation → the prompt to send and the length of its recorded answer. ShareGPT
 * (`{"conversations": [{"from": "human", "value": …}, {"from": "gpt", "value": …}]}`) and the
 * OpenAI/LMSYS shape (`messages` or `conversation`: `[{"role": "user", "content": …}]`) are read;
 * as vLLM's bench does, the first user turn is the prompt (after a leading system turn, kept) and
 * the first assistant turn after it is the recorded answer.
 */

export interface ChatMessage { role: 'system' | 'user' | 'assistant'; content: string }

export interface PromptRecord {
  messages: ChatMessage[];
  /** Characters of the recorded answer, when there is one. */
  answerChars: number | undefined;
}

const ROLES: Record<string, ChatMessage['role']> = {
  human: 'user', user: 'user', system: 'system',
  gpt: 'assistant', assistant: 'assistant', chatgpt: 'assistant', bard: 'assistant', bing: 'assistant', model: 'assistant',
};

/** The prompt of a conversation, or the reason it cannot be used. */
export function promptOf(entry: unknown): PromptRecord | string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not a JSON object';
  const e = entry as Record<string, unknown>;
  const turns = e['conversations'] ?? e['messages'] ?? e['conversation'];
  if (!Array.isArray(turns)) return 'no "conversations" (or "messages") array';
  const messages: ChatMessage[] = [];
  let answerChars: number | undefined;
  for (const turn of turns) {
    const t = turn as Record<string, unknown> | null;
    const role = typeof t === 'object' && t !== null ? ROLES[String(t['from'] ?? t['role'] ?? '').toLowerCase()] : undefined;
    const content = typeof t === 'object' && t !== null ? t['value'] ?? t['content'] : undefined;
    if (!role || typeof content !== 'string') continue;
    const user = messages.some((m) => m.role === 'user');
    if (role === 'system' && messages.length === 0) messages.push({ role, content });
    else if (role === 'user' && !user) messages.push({ role, content });
    else if (role === 'assistant' && user) { answerChars = content.length; break; }
  }
  const prompt = messages.find((m) => m.role === 'user');
  if (!prompt) return 'no user turn';
  if (prompt.content.trim() === '') return 'an empty user turn';
  return { messages, answerChars };
}

/** Token estimate of a text: ceil(characters / 4), the usual rule of thumb for English (no tokenizer here). */
export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}
