/**
 * An incremental Server-Sent Events parser (WHATWG HTML, "Parsing an event stream"), fed raw body
 * bytes as they arrive. Lines end in CRLF, LF or CR, and a terminator may be split across chunks;
 * `:` lines are comments (keep-alives); `data` lines accumulate (joined by LF) until a blank line
 * dispatches the event with its `event` type ("message" when none). `id` and `retry` are read and
 * ignored (a load generator never reconnects). A UTF-8 BOM at the very start is skipped.
 *
 * It works on bytes and decodes a line only once it is complete: LF and CR never occur inside a
 * multi-byte UTF-8 sequence, so a character split across two chunks is decoded whole.
 * Transport-agnostic: the HTTP/1.1 client feeds it today, an HTTP/2 stream can feed it the same way.
 */

export type SseListener = (type: string, data: string) => void;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
/** "data" and "event" as bytes, compared without decoding the field name. */
const DATA = [0x64, 0x61, 0x74, 0x61];
const EVENT = [0x65, 0x76, 0x65, 0x6e, 0x74];

/** Longest event (line or data lines together) the parser keeps, bytes; beyond it the stream is refused. */
export const MAX_EVENT_BYTES = 16 * 1024 * 1024;

export class SseParser {
  /** An event grew past MAX_EVENT_BYTES: nothing more is parsed (a hostile or broken stream must not exhaust memory). */
  overflowed = false;
  /** Bytes of a line not yet terminated (carried over from earlier chunks). */
  private pending: Buffer | undefined;
  private dataBytes = 0;
  /** The previous chunk ended in CR: a LF starting this one belongs to that CRLF. */
  private skipLf = false;
  private atStart = true;
  private data: string[] = [];
  private type = '';

  constructor(private readonly listener: SseListener) {}

  /** Feeds the next chunk of the body; calls the listener for every event it completes. */
  push(chunk: Uint8Array): void {
    if (this.overflowed) return;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    if (this.skipLf && buf.length > 0) {
      this.skipLf = false;
      if (buf[0] === LF) start = 1;
    }
    if (this.pending) {
      buf = Buffer.concat([this.pending, buf.subarray(start)]);
      start = 0;
      this.pending = undefined;
    }
    if (start >= buf.length) return;
    if (this.atStart) {
      const bom = bomLength(buf, start);
      if (bom < 0) { this.pending = Buffer.from(buf.subarray(start)); return; } // too short to tell yet
      start += bom;
      this.atStart = false;
    }
    const n = buf.length;
    let i = start;
    while (i < n) {
      const b = buf[i] as number;
      if (b !== LF && b !== CR) { i++; continue; }
      this.line(buf, start, i);
      if (b === CR) {
        if (i + 1 < n) { if (buf[i + 1] === LF) i++; } else this.skipLf = true;
      }
      i++;
      start = i;
    }
    if (start < n) this.pending = Buffer.from(buf.subarray(start)); // copy: the transport may reuse its buffer
    if ((this.pending?.length ?? 0) + this.dataBytes > MAX_EVENT_BYTES) {
      this.overflowed = true;
      this.pending = undefined;
      this.data = [];
    }
  }

  /** Whether bytes of an unfinished event are buffered (a stream that ends here was cut mid-event). */
  get midEvent(): boolean {
    return this.pending !== undefined || this.data.length > 0;
  }

  private line(buf: Buffer, from: number, to: number): void {
    if (from === to) { this.dispatch(); return; }
    if (buf[from] === COLON) return; // comment / keep-alive
    let colon = from;
    while (colon < to && buf[colon] !== COLON) colon++;
    let valueFrom = colon < to ? colon + 1 : to;
    if (valueFrom < to && buf[valueFrom] === SPACE) valueFrom++;
    const nameLength = colon - from;
    if (nameLength === 4 && matches(buf, from, DATA)) {
      this.data.push(buf.toString('utf8', valueFrom, to));
      this.dataBytes += to - valueFrom;
    }
    else if (nameLength === 5 && matches(buf, from, EVENT)) this.type = buf.toString('utf8', valueFrom, to);
    // id, retry and unknown fields: nothing a load generator acts on
  }

  private dispatch(): void {
    if (this.data.length === 0) { this.type = ''; return; }
    const data = this.data.length === 1 ? this.data[0] as string : this.data.join('\n');
    const type = this.type === '' ? 'message' : this.type;
    this.data = [];
    this.dataBytes = 0;
    this.type = '';
    this.listener(type, data);
  }
}

const BOM = [0xef, 0xbb, 0xbf];

/** 3 when `buf` holds a UTF-8 BOM at `at`, 0 when it does not, -1 when the bytes so far are a BOM's prefix. */
function bomLength(buf: Buffer, at: number): number {
  for (let k = 0; k < 3; k++) {
    if (at + k >= buf.length) return -1;
    if (buf[at + k] !== BOM[k]) return 0;
  }
  return 3;
}

function matches(buf: Buffer, at: number, name: readonly number[]): boolean {
  for (let k = 0; k < name.length; k++) if (buf[at + k] !== name[k]) return false;
  return true;
}
