/**
 * A minimal ONNX model encoder: a graph of standard operators with typed, symbolically shaped
 * inputs and outputs, encoded with protobufjs from the handful of onnx.proto fields it needs
 * (field numbers and enum values as in onnx/onnx.proto). Enough for the small numeric graphs the
 * drift engine runs on onnxruntime-node; pure encoding, no I/O.
 */
import protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    ModelProto: { fields: { irVersion: { type: 'int64', id: 1 }, producerName: { type: 'string', id: 2 }, graph: { type: 'GraphProto', id: 7 }, opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 } } },
    OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
    GraphProto: { fields: { node: { rule: 'repeated', type: 'NodeProto', id: 1 }, name: { type: 'string', id: 2 }, input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 }, output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 } } },
    NodeProto: { fields: { input: { rule: 'repeated', type: 'string', id: 1 }, output: { rule: 'repeated', type: 'string', id: 2 }, name: { type: 'string', id: 3 }, opType: { type: 'string', id: 4 }, attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 } } },
    AttributeProto: { fields: { name: { type: 'string', id: 1 }, f: { type: 'float', id: 2 }, i: { type: 'int64', id: 3 }, ints: { rule: 'repeated', type: 'int64', id: 8 }, type: { type: 'int32', id: 20 } } },
    ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
    TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
    TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
    TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
    Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
  },
});

/** onnx.TensorProto.DataType */
export const ELEM = { float32: 1, float64: 11 } as const;
export type ElemType = keyof typeof ELEM;

/** Attribute values: a whole number (INT), a list of them (INTS) or a float (FLOAT, written as `{ f }`). */
export type AttributeValue = number | number[] | { f: number };

export interface GraphNode { op: string; inputs: string[]; outputs: string[]; attributes?: Record<string, AttributeValue> }
/** A graph input or output; a dimension is a fixed size or a symbolic name. */
export interface GraphValue { name: string; type: ElemType; dims: (string | number)[] }

const ATTRIBUTE_TYPE = { float: 1, int: 2, ints: 7 } as const;

function attribute(name: string, value: AttributeValue): object {
  if (Array.isArray(value)) return { name, ints: value, type: ATTRIBUTE_TYPE.ints };
  if (typeof value === 'object') return { name, f: value.f, type: ATTRIBUTE_TYPE.float };
  return { name, i: value, type: ATTRIBUTE_TYPE.int };
}

function valueInfo(v: GraphValue): object {
  const dim = v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name: v.name, type: { tensorType: { elemType: ELEM[v.type], shape: { dim } } } };
}

export function encodeModel(name: string, opset: number, inputs: GraphValue[], outputs: GraphValue[], nodes: GraphNode[]): Uint8Array {
  const Model = root.lookupType('ModelProto');
  return Model.encode(Model.fromObject({
    irVersion: 8,
    producerName: 'vigil',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name,
      node: nodes.map((n, k) => ({
        input: n.inputs, output: n.outputs, name: `${n.op.toLowerCase()}_${k}`, opType: n.op,
        attribute: Object.entries(n.attributes ?? {}).map(([key, value]) => attribute(key, value)),
      })),
      input: inputs.map(valueInfo),
      output: outputs.map(valueInfo),
    },
  })).finish();
}

/** Y = A·Bᵀ (one Gemm, transB = 1). */
export function gemmTransBModel(precision: ElemType): Uint8Array {
  return encodeModel('gemm_transb', 17,
    [{ name: 'A', type: precision, dims: ['n', 'd'] }, { name: 'B', type: precision, dims: ['m', 'd'] }],
    [{ name: 'Y', type: precision, dims: ['n', 'm'] }],
    [{ op: 'Gemm', inputs: ['A', 'B'], outputs: ['Y'], attributes: { transB: 1 } }]);
}
