import { ELEM_TYPE_NAMES, onnxTypes } from './onnx-schema.ts';

/**
 * A model's signature read from its ONNX bytes (the ModelProto, with protobufjs): inputs and
 * outputs with their types and shapes — including the non-tensor types onnxruntime-node cannot
 * describe (a ZipMap's sequence of maps) — and the ZipMap nodes with their class labels. Pure.
 */

export type Dim = number | string;

export interface ValueSignature {
  readonly name: string;
  readonly kind: 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse' | 'unknown';
  /** Tensors: onnxruntime's element type name (`float32`, `float64`, `int64`, `string`, ...). */
  readonly elemType?: string;
  /** Tensors: dims as declared; symbolic ones are strings (`N`), unknown ones `?`. */
  readonly shape?: readonly Dim[];
  /** Readable type: `tensor(float32)[N, 4]`, `seq(map(int64, tensor(float32)))`. */
  readonly type: string;
}

/** A ZipMap node (ai.onnx.ml): turns a float tensor [N, k] into N maps {class label: probability}. */
export interface ZipMapNode {
  readonly name: string;
  /** The float tensor it reads. */
  readonly input: string;
  readonly output: string;
  readonly classLabels: readonly (number | string)[];
  /** Whether another node reads its output (then it is not only a graph output). */
  readonly consumed: boolean;
}

export interface ModelSignature {
  readonly producer: string;
  readonly irVersion: number;
  readonly opsets: readonly { domain: string; version: number }[];
  /** Graph inputs that are fed (initializers listed as inputs by older exporters are left out). */
  readonly inputs: readonly ValueSignature[];
  readonly outputs: readonly ValueSignature[];
  readonly zipMaps: readonly ZipMapNode[];
  /** Operators by domain and type, e.g. `ai.onnx.ml.TreeEnsembleClassifier` (for `inspect`). */
  readonly operators: readonly string[];
}

interface TypeObject {
  tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: number; dimParam?: string }[] } };
  sparseTensorType?: TypeObject['tensorType'];
  sequenceType?: { elemType?: TypeObject };
  optionalType?: { elemType?: TypeObject };
  mapType?: { keyType?: number; valueType?: TypeObject };
}
interface AttributeObject { name?: string; ints?: number[]; strings?: Uint8Array[] }
interface NodeObject { opType?: string; domain?: string; name?: string; input?: string[]; output?: string[]; attribute?: AttributeObject[] }
interface ModelObject {
  irVersion?: number; producerName?: string; producerVersion?: string;
  opsetImport?: { domain?: string; version?: number }[];
  graph?: { node?: NodeObject[]; initializer?: { name?: string }[]; input?: { name?: string; type?: TypeObject }[]; output?: { name?: string; type?: TypeObject }[] };
}

/** Reads the signature; throws (a protobufjs error) when the bytes are not a ModelProto. */
export function readModelSignature(bytes: Uint8Array): ModelSignature {
  const message = onnxTypes.ModelProto.decode(bytes);
  const model = onnxTypes.ModelProto.toObject(message, { longs: Number, arrays: true }) as ModelObject;
  const graph = model.graph ?? {};
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const nodes = graph.node ?? [];
  const read = new Set(nodes.flatMap((n) => n.input ?? []));
  const zipMaps = nodes.filter((n) => n.opType === 'ZipMap' && n.domain === 'ai.onnx.ml').map((n): ZipMapNode => {
    const attr = (name: string) => n.attribute?.find((a) => a.name === name);
    const ints = attr('classlabels_int64s')?.ints ?? [];
    const strings = (attr('classlabels_strings')?.strings ?? []).map((s) => new TextDecoder().decode(s));
    const output = n.output?.[0] ?? '';
    return { name: n.name ?? '', input: n.input?.[0] ?? '', output, classLabels: ints.length > 0 ? ints : strings, consumed: read.has(output) };
  });
  return {
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    irVersion: model.irVersion ?? 0,
    opsets: (model.opsetImport ?? []).map((o) => ({ domain: o.domain || 'ai.onnx', version: o.version ?? 0 })),
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map((v) => valueSignature(v.name ?? '', v.type)),
    outputs: (graph.output ?? []).map((v) => valueSignature(v.name ?? '', v.type)),
    zipMaps,
    operators: [...new Set(nodes.map((n) => `${n.domain ? `${n.domain}.` : ''}${n.opType ?? '?'}`))].sort(),
  };
}

function valueSignature(name: string, type: TypeObject | undefined): ValueSignature {
  const text = typeText(type);
  if (type?.tensorType) {
    const elemType = elemName(type.tensorType.elemType);
    const shape = (type.tensorType.shape?.dim ?? []).map((d): Dim => d.dimParam || (d.dimValue !== undefined && d.dimValue > 0 ? d.dimValue : '?'));
    // A tensor type without a shape is "any rank"; one with an empty shape is a scalar.
    return { name, kind: 'tensor', elemType, shape, type: `${text}[${shape.join(', ')}]` };
  }
  const kind = type?.sequenceType ? 'sequence' : type?.mapType ? 'map' : type?.optionalType ? 'optional' : type?.sparseTensorType ? 'sparse' : 'unknown';
  return { name, kind, type: text };
}

function elemName(code: number | undefined): string {
  return ELEM_TYPE_NAMES[code ?? 0] ?? `type${code ?? 0}`;
}

function typeText(type: TypeObject | undefined): string {
  if (!type) return 'unknown';
  if (type.tensorType) return `tensor(${elemName(type.tensorType.elemType)})`;
  if (type.sparseTensorType) return `sparse_tensor(${elemName(type.sparseTensorType.elemType)})`;
  if (type.sequenceType) return `seq(${typeText(type.sequenceType.elemType)})`;
  if (type.optionalType) return `optional(${typeText(type.optionalType.elemType)})`;
  if (type.mapType) return `map(${elemName(type.mapType.keyType)}, ${typeText(type.mapType.valueType)})`;
  return 'unknown';
}
