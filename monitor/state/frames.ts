import { crc32 } from 'node:zlib';

/**
 * The record format of the state directory: each record is
 * `[u32 length][u32 crc32 of payload][payload]`, payload = `[u32 header length][header JSON][float64 blobs]`,
 * the blob lengths (in values) listed in the header's `blobs`. Little-endian throughout.
 */
export interface Frame<H extends object = Record<string, unknown>> {
  header: H & { blobs?: number[] };
  blobs: Float64Array[];
}

export function encodeFrame(header: object, blobs: readonly Float64Array[] = []): Buffer {
  const json = Buffer.from(JSON.stringify({ ...header, blobs: blobs.map((b) => b.length) }), 'utf8');
  const blobBytes = blobs.reduce((s, b) => s + b.byteLength, 0);
  const payloadLen = 4 + json.length + blobBytes;
  // Blobs start 8-byte aligned in the buffer so they can be copied as Float64Arrays.
  const out = Buffer.alloc(8 + payloadLen);
  out.writeUInt32LE(payloadLen, 0);
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  let at = 12 + json.length;
  for (const b of blobs) {
    Buffer.from(b.buffer, b.byteOffset, b.byteLength).copy(out, at);
    at += b.byteLength;
  }
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

export type DecodeResult =
  | { kind: 'frame'; frame: Frame; next: number }
  | { kind: 'end' }
  /** The bytes from `at` do not hold a whole record (a write cut short by a crash). */
  | { kind: 'torn'; at: number }
  | { kind: 'corrupt'; at: number; reason: string };

/** Decodes the record starting at `at`. */
export function decodeFrame(buf: Buffer, at: number): DecodeResult {
  if (at >= buf.length) return { kind: 'end' };
  if (buf.length - at < 8) return { kind: 'torn', at };
  const len = buf.readUInt32LE(at);
  if (buf.length - at - 8 < len) return { kind: 'torn', at };
  const payload = buf.subarray(at + 8, at + 8 + len);
  if (crc32(payload) !== buf.readUInt32LE(at + 4)) return { kind: 'corrupt', at, reason: 'checksum mismatch' };
  const jsonLen = payload.readUInt32LE(0);
  if (4 + jsonLen > payload.length) return { kind: 'corrupt', at, reason: 'header longer than its record' };
  let header: Frame['header'];
  try {
    header = JSON.parse(payload.subarray(4, 4 + jsonLen).toString('utf8')) as Frame['header'];
  } catch {
    return { kind: 'corrupt', at, reason: 'header is not JSON' };
  }
  const blobs: Float64Array[] = [];
  let p = 4 + jsonLen;
  for (const n of header.blobs ?? []) {
    if (p + n * 8 > payload.length) return { kind: 'corrupt', at, reason: 'blob longer than its record' };
    const copy = new Float64Array(n);
    Buffer.from(copy.buffer).set(payload.subarray(p, p + n * 8));
    blobs.push(copy);
    p += n * 8;
  }
  return { kind: 'frame', frame: { header, blobs }, next: at + 8 + len };
}
