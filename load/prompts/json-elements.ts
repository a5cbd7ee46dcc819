/**
 * The top-level elements of a JSON array, one at a time, from a byte stream: ShareGPT dumps are
 * single arrays of hundreds of megabytes (ShareGPT_V3: ~640 MB, beyond V8's longest string), so
 * they cannot be read with one JSON.parse. The splitter tracks strings, escapes and nesting on
 * raw bytes — `"`, `\`, brackets and commas never occur inside a multi-byte UTF-8 sequence — and
 * hands each element's bytes to JSON.parse. Pure over its input chunks; the caller does the I/O.
 */

export class JsonArraySplitter {
  private started = false;
  private ended = false;
  private depth = 0;
  private inString = false;
  private escape = false;
  private parts: Buffer[] = [];
  /** Bytes of the element being read so far, in `parts` plus the current chunk from `from`. */
  private open = false;

  /** Feeds a chunk; returns the texts of the elements it completed. Throws on a document that is not an array. */
  push(chunk: Buffer): string[] {
    const out: string[] = [];
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (this.ended) {
        if (!isSpace(b)) throw new Error('content after the end of the array');
        continue;
      }
      if (!this.started) {
        if (isSpace(b)) continue;
        if (b !== 0x5b) throw new Error('the document is not a JSON array');
        this.started = true;
        continue;
      }
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === 0x5c) this.escape = true;
        else if (b === 0x22) this.inString = false;
        continue;
      }
      if (!this.open) {
        if (isSpace(b) || b === 0x2c) continue;
        if (b === 0x5d) { this.ended = true; continue; }
        this.open = true;
        from = i;
      }
      if (b === 0x22) this.inString = true;
      else if (b === 0x5b || b === 0x7b) this.depth++;
      else if ((b === 0x5d || b === 0x7d) && this.depth > 0) this.depth--;
      else if ((b === 0x2c || b === 0x5d) && this.depth === 0) {
        this.parts.push(chunk.subarray(from, i));
        out.push(this.take());
        if (b === 0x5d) this.ended = true;
        continue;
      }
      if (this.depth === 0 && (b === 0x7d || b === 0x5d)) {
        this.parts.push(chunk.subarray(from, i + 1));
        out.push(this.take());
      }
    }
    if (this.open) this.parts.push(Buffer.from(chunk.subarray(from)));
    return out;
  }

  /** Call at the end of the input; throws when the array was not closed. */
  end(): string[] {
    if (!this.ended) throw new Error(this.started ? 'the array is not closed (the file is truncated)' : 'the document is empty');
    return [];
  }

  private take(): string {
    const text = Buffer.concat(this.parts).toString('utf8').trim();
    this.parts = [];
    this.open = false;
    return text;
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}
