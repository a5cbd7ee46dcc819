/**
 * Reads the recorded prompts of `vigil load prompts` from a file, streaming: a ShareGPT JSON
 * array (split element by element, so files larger than a JavaScript string work), JSON lines of
 * conversations, or plain text with one prompt per line. `auto` tells them apart by the first
 * character: `[` an array, `{` JSON lines, anything else text.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { promptOf, type PromptRecord } from './conversation.ts';
import { promptsErrors } from './errors.ts';
import { JsonArraySplitter } from './json-elements.ts';

export type PromptsFormat = 'auto' | 'sharegpt' | 'lines';

/** One entry of the file: a usable prompt, or why it was skipped. */
export type Entry = PromptRecord | { skipped: string };

export async function* readPrompts(file: string, format: PromptsFormat): AsyncGenerator<Entry> {
  const chunks = chunksOf(file);
  let kind: 'array' | 'jsonl' | 'lines' | undefined = format === 'lines' ? 'lines' : undefined;
  let splitter: JsonArraySplitter | undefined;
  let line = '';
  let lineNo = 0;
  const decoder = new StringDecoder('utf8'); // a character split across two chunks is decoded whole
  let index = 0;
  const malformed = (where: string, rule: string): never => { throw promptsErrors.VIGIL_PROMPTS_MALFORMED({ file, where, rule }); };
  const element = (text: string, where: string): Entry => {
    let value: unknown;
    try { value = JSON.parse(text); } catch (err) { return malformed(where, `not JSON (${(err as Error).message})`); }
    const p = promptOf(value);
    return typeof p === 'string' ? { skipped: p } : p;
  };
  const lineEntry = (text: string): Entry | undefined => {
    lineNo++;
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (kind === 'lines') return t.trim() === '' ? undefined : { messages: [{ role: 'user', content: t }], answerChars: undefined };
    return t.trim() === '' ? undefined : element(t, `line ${lineNo}`);
  };
  for await (const chunk of chunks) {
    if (kind === undefined) {
      const first = chunk.toString('utf8', 0, Math.min(chunk.length, 64)).trimStart()[0];
      if (first === undefined) continue;
      kind = first === '[' ? 'array' : first === '{' ? 'jsonl' : format === 'sharegpt' ? malformed('the start', 'a ShareGPT file is a JSON array or JSON lines of conversations') : 'lines';
    }
    if (kind === 'array') {
      splitter ??= new JsonArraySplitter();
      let texts: string[];
      try { texts = splitter.push(chunk); } catch (err) { return malformed(`element ${index + 1}`, (err as Error).message); }
      for (const t of texts) yield element(t, `element ${++index}`);
    } else {
      const parts = (line + decoder.write(chunk)).split('\n');
      line = parts.pop() as string;
      for (const p of parts) {
        const e = lineEntry(p);
        if (e) yield e;
      }
    }
  }
  if (kind === 'array') {
    try { (splitter as JsonArraySplitter).end(); } catch (err) { malformed(`element ${index + 1}`, (err as Error).message); }
    return;
  }
  const last = lineEntry(line + decoder.end());
  if (last) yield last;
}

async function* chunksOf(file: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    throw promptsErrors.VIGIL_PROMPTS_UNREADABLE({ file, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
  }
}
