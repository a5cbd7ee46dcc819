/**
 * What one event of an OpenAI-compatible stream says (vLLM, TGI, Ollama, Triton's OpenAI frontend):
 * `data: [DONE]` ends the stream; a JSON chunk may carry generated text (`choices[i].delta.content`
 * for chat, `choices[i].text` for completions, reasoning text or tool calls), token counts
 * (`usage`, the last chunk when `stream_options.include_usage` is set) or an error (an `error`
 * event type, or a top-level `error` member). A role-only first chunk (`delta: {role: "assistant",
 * content: ""}`, as vLLM sends) carries no content: the first token has not been seen yet.
 */

export interface Usage {
  completionTokens: number | undefined;
  promptTokens: number | undefined;
}

export interface ChunkReading {
  /** Generated output in this chunk (non-empty text, reasoning text or tool-call delta). */
  content: boolean;
  done: boolean;
  usage: Usage | undefined;
  /** Why the stream failed, when this event says it did. */
  error: string | undefined;
}

const DONE: ChunkReading = Object.freeze({ content: false, done: true, usage: undefined, error: undefined });

export function readChunk(type: string, data: string): ChunkReading {
  if (type === 'error') return failed(`error event: ${clip(data)}`);
  if (data === '[DONE]' || data.trim() === '[DONE]') return DONE;
  let obj: unknown;
  try {
    obj = JSON.parse(data);
  } catch {
    return failed(`a data line that is neither JSON nor [DONE]: ${clip(data)}`);
  }
  if (!isRecord(obj)) return failed(`a data line that is not a JSON object: ${clip(data)}`);
  if (obj['error'] !== undefined && obj['error'] !== null) return failed(`error in the stream: ${clip(JSON.stringify(obj['error']))}`);
  return { content: hasContent(obj['choices']), done: false, usage: usageOf(obj['usage']), error: undefined };
}

/** Token counts of a non-streamed answer (`usage` of a chat or text completion), if it has them. */
export function readCompletionUsage(obj: unknown): Usage | undefined {
  return isRecord(obj) ? usageOf(obj['usage']) : undefined;
}

function hasContent(choices: unknown): boolean {
  if (!Array.isArray(choices)) return false;
  for (const c of choices) {
    if (!isRecord(c)) continue;
    if (nonEmpty(c['text'])) return true;
    const d = c['delta'];
    if (!isRecord(d)) continue;
    if (nonEmpty(d['content']) || nonEmpty(d['reasoning_content']) || nonEmpty(d['reasoning'])) return true;
    const tools = d['tool_calls'];
    if (Array.isArray(tools) && tools.length > 0) return true;
    if (isRecord(d['function_call'])) return true;
  }
  return false;
}

function usageOf(u: unknown): Usage | undefined {
  if (!isRecord(u)) return undefined;
  const completionTokens = count(u['completion_tokens']);
  const promptTokens = count(u['prompt_tokens']);
  return completionTokens === undefined && promptTokens === undefined ? undefined : { completionTokens, promptTokens };
}

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function failed(error: string): ChunkReading {
  return { content: false, done: false, usage: undefined, error };
}

function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
