// `vigil load prompts`: recorded prompts → replay JSONL of chat/text completion requests.
export { resolvePromptsOptions, convertPrompts, type PromptsFlags, type PromptsOptions, type PromptsResult } from './convert.ts';
export { promptOf, estimateTokens, type ChatMessage, type PromptRecord } from './conversation.ts';
export { requestLine, type ReplayLine, type RequestShape, type MaxTokens } from './build.ts';
export { readPrompts, type PromptsFormat } from './read.ts';
export { JsonArraySplitter } from './json-elements.ts';
export { parseTokenCount, drawTokenCount, tokenCountSchema, type TokenCount } from './token-count.ts';
export { promptsErrors } from './errors.ts';
