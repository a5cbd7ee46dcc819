import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SseParser } from '../../load/stream/sse-parser.ts';

type Ev = [string, string];

function parseAll(chunks: readonly Uint8Array[]): Ev[] {
  const out: Ev[] = [];
  const p = new SseParser((type, data) => out.push([type, data]));
  for (const c of chunks) p.push(c);
  return out;
}

/**
 * The reference: the WHATWG algorithm written plainly over a whole decoded string (split into
 * lines with a regular expression), nothing incremental — a different method from the parser's.
 */
function reference(text: string): Ev[] {
  const out: Ev[] = [];
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split(/\r\n|\r|\n/);
  lines.pop(); // the part after the last terminator is not a complete line
  let data: string[] = [];
  let type = '';
  for (const line of lines) {
    if (line === '') {
      if (data.length > 0) out.push([type || 'message', data.join('\n')]);
      data = [];
      type = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? '' : line.slice(i + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
  }
  return out;
}

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');

test('SSE: the cases of the spec, whole', () => {
  const cases: [string, string, Ev[]][] = [
    ['one data line', 'data: hello\n\n', [['message', 'hello']]],
    ['no space after the colon', 'data:hello\n\n', [['message', 'hello']]],
    ['only one leading space is removed', 'data:  two\n\n', [['message', ' two']]],
    ['multi-line data joined by LF', 'data: a\ndata: b\n\n', [['message', 'a\nb']]],
    ['CRLF and CR terminators', 'data: a\r\n\r\ndata: b\r\rdata: c\n\n', [['message', 'a'], ['message', 'b'], ['message', 'c']]],
    ['comments are keep-alives', ': ping\n\ndata: x\n: mid\n\n', [['message', 'x']]],
    ['event type, reset after dispatch', 'event: error\ndata: {"m":1}\n\ndata: y\n\n', [['error', '{"m":1}'], ['message', 'y']]],
    ['a blank line with no data dispatches nothing', '\n\nevent: e\n\ndata: z\n\n', [['message', 'z']]],
    ['a field without a colon', 'data\n\n', [['message', '']]],
    ['id and retry are ignored', 'id: 7\nretry: 100\ndata: q\n\n', [['message', 'q']]],
    ['an unfinished event is not dispatched', 'data: a\n\ndata: b\n', [['message', 'a']]],
    ['BOM at the start', '\uFEFFdata: b\n\n', [['message', 'b']]],
    ['UTF-8 text', 'data: {"c":"héllo 世界 🙂"}\n\n', [['message', '{"c":"héllo 世界 🙂"}']]],
    ['[DONE]', 'data: [DONE]\n\n', [['message', '[DONE]']]],
  ];
  for (const [name, text, want] of cases) {
    assert.deepEqual(parseAll([enc(text)]), want, name);
    assert.deepEqual(reference(text), want, `reference: ${name}`);
  }
});

test('SSE: any split of the bytes gives the events of the whole (terminators and UTF-8 split across chunks)', () => {
  const line = fc.oneof(
    fc.string().map((s) => `data: ${s.replace(/[\r\n]/g, '')}`),
    fc.constantFrom('data: 世界🙂', ': keep-alive', 'event: error', 'data:', 'data: [DONE]', 'id: 1', ''),
  );
  const term = fc.constantFrom('\n', '\r\n', '\r');
  const stream = fc.array(fc.tuple(line, term), { maxLength: 30 }).map((ls) => ls.map(([l, t]) => l + t).join(''));
  fc.assert(fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (text, cuts, bom) => {
    const full = (bom ? '\uFEFF' : '') + text;
    const bytes = enc(full);
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let at = 0;
    for (const p of points) { chunks.push(bytes.subarray(at, p)); at = p; }
    chunks.push(bytes.subarray(at));
    const want = reference(full);
    assert.deepEqual(parseAll(chunks), want);
    // one byte at a time: every split at once
    assert.deepEqual(parseAll([...bytes].map((b) => Uint8Array.of(b))), want);
  }), { numRuns: 300, seed: 14 });
});

test('SSE: a chunk buffer reused by the transport after push does not corrupt a pending line', () => {
  const out: Ev[] = [];
  const p = new SseParser((type, data) => out.push([type, data]));
  const buf = Buffer.from('data: abc');
  p.push(buf);
  buf.fill(0x78); // the transport reuses its buffer
  p.push(enc('def\n\n'));
  assert.deepEqual(out, [['message', 'abcdef']]);
  assert.equal(p.midEvent, false);
  p.push(enc('data: x\n'));
  assert.equal(p.midEvent, true);
});

test('SSE: an event longer than 16 MiB stops the parser (a stream must not exhaust memory); the meter fails it', async () => {
  const { MAX_EVENT_BYTES } = await import('../../load/stream/sse-parser.ts');
  const { meterFor } = await import('../../load/stream/meter.ts');
  const out: Ev[] = [];
  const p = new SseParser((type, data) => out.push([type, data]));
  const mib = Buffer.alloc(1024 * 1024, 0x61);
  p.push(Buffer.from('data: '));
  for (let i = 0; i <= MAX_EVENT_BYTES / mib.length; i++) p.push(mib);
  assert.equal(p.overflowed, true);
  p.push(enc('\n\ndata: x\n\n'));
  assert.deepEqual(out, []);
  // many data lines of one event count together
  const m = meterFor('text/event-stream', false, 0);
  const line = Buffer.from(`data: ${'b'.repeat(1024 * 1024)}\n`);
  for (let i = 0; i <= 16; i++) m?.data(line, 1);
  assert.match(m?.end(2)?.error ?? '', /longer than 16777216 bytes/);
});
