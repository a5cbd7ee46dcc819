import protobuf from 'protobufjs';
import { OnnxDataType, onnxTypes } from './onnx-schema.ts';
import type { ZipMapNode } from './model-signature.ts';

/**
 * Replaces ZipMap nodes by the tensor that feeds them, in memory: each ZipMap becomes an Identity
 * from its float input to its output name, and the graph output of that name becomes a float32
 * tensor `[N, k]` (k = the ZipMap's class labels). onnxruntime-node can then return the
 * probabilities as a tensor (a sequence of maps it cannot return at all).
 *
 * The rewrite works on the wire format: every field of the ModelProto and GraphProto is copied
 * byte for byte except the ZipMap nodes and those outputs, so nothing our ONNX subset schema does
 * not know (functions, metadata, training info, sparse initializers...) is lost. The file on disk
 * is not touched; its SHA-256 is taken on the original bytes.
 */
export function replaceZipMaps(bytes: Uint8Array, zipMaps: readonly ZipMapNode[]): Uint8Array {
  if (zipMaps.length === 0) return bytes;
  const byOutput = new Map(zipMaps.map((z) => [z.output, z]));
  return rewriteFields(bytes, (field, span) => (field === MODEL_GRAPH ? [lengthDelimited(field, rewriteGraph(span, byOutput))] : undefined));
}

const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_OUTPUT = 12;

function rewriteGraph(graph: Uint8Array, byOutput: ReadonlyMap<string, ZipMapNode>): Uint8Array {
  return rewriteFields(graph, (field, span) => {
    if (field === GRAPH_NODE) {
      const n = onnxTypes.NodeProto.decode(span) as unknown as { opType: string; domain: string; output: string[] };
      const zipMap = n.opType === 'ZipMap' && n.domain === 'ai.onnx.ml' ? byOutput.get(n.output[0] ?? '') : undefined;
      if (!zipMap) return undefined;
      const identity = onnxTypes.NodeProto.encode(onnxTypes.NodeProto.fromObject({
        name: `${zipMap.name || 'ZipMap'}_vigil_identity`, opType: 'Identity', input: [zipMap.input], output: [zipMap.output],
      })).finish();
      return [lengthDelimited(field, identity)];
    }
    if (field === GRAPH_OUTPUT) {
      const v = onnxTypes.ValueInfoProto.decode(span) as unknown as { name: string };
      const zipMap = byOutput.get(v.name);
      if (!zipMap) return undefined;
      const tensor = onnxTypes.ValueInfoProto.encode(onnxTypes.ValueInfoProto.fromObject({
        name: v.name,
        type: { tensorType: { elemType: OnnxDataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: zipMap.classLabels.length }] } } },
      })).finish();
      return [lengthDelimited(field, tensor)];
    }
    return undefined;
  });
}

/**
 * Walks the top-level fields of a message. `replace(field, payload)` sees each length-delimited
 * field's payload and returns the encoded fields to put in its place, or undefined to keep it.
 */
function rewriteFields(bytes: Uint8Array, replace: (field: number, payload: Uint8Array) => Uint8Array[] | undefined): Uint8Array {
  const reader = protobuf.Reader.create(bytes);
  const parts: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === 2) {
      const length = reader.uint32();
      const payload = bytes.subarray(reader.pos, reader.pos + length);
      reader.skip(length);
      const replaced = replace(field, payload);
      parts.push(...(replaced ?? [bytes.subarray(start, reader.pos)]));
    } else {
      reader.skipType(wireType);
      parts.push(bytes.subarray(start, reader.pos));
    }
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return protobuf.Writer.create().uint32((field << 3) | 2).bytes(payload).finish();
}
