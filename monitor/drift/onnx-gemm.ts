/**
 * A one-node ONNX model, Y = A·Bᵀ (Gemm, transB = 1, float32 or float64, symbolic shapes), encoded with
 * protobufjs from the handful of onnx.proto fields it needs (field numbers as in onnx/onnx.proto).
 * Used by the onnxruntime-node permutation path (mmd-ort.ts) and the benchmark. Pure encoding, no I/O.
 */
import protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    ModelProto: { fields: { irVersion: { type: 'int64', id: 1 }, producerName: { type: 'string', id: 2 }, graph: { type: 'GraphProto', id: 7 }, opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 } } },
    OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
    GraphProto: { fields: { node: { rule: 'repeated', type: 'NodeProto', id: 1 }, name: { type: 'string', id: 2 }, input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 }, output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 } } },
    NodeProto: { fields: { input: { rule: 'repeated', type: 'string', id: 1 }, output: { rule: 'repeated', type: 'string', id: 2 }, name: { type: 'string', id: 3 }, opType: { type: 'string', id: 4 }, attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 } } },
    AttributeProto: { fields: { name: { type: 'string', id: 1 }, i: { type: 'int64', id: 3 }, type: { type: 'int32', id: 20 } } },
    ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
    TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
    TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
    TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
    Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
  },
});

const FLOAT = 1;
const DOUBLE = 11;
const ATTRIBUTE_INT = 2;

export function gemmTransBModel(precision: 'float32' | 'float64'): Uint8Array {
  const elemType = precision === 'float32' ? FLOAT : DOUBLE;
  const info = (name: string, dims: string[]): object => ({ name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimParam: d })) } } } });
  const Model = root.lookupType('ModelProto');
  return Model.encode(Model.fromObject({
    irVersion: 8,
    producerName: 'vigil-bench',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'gemm_transb',
      node: [{ input: ['A', 'B'], output: ['Y'], name: 'gemm', opType: 'Gemm', attribute: [{ name: 'transB', i: 1, type: ATTRIBUTE_INT }] }],
      input: [info('A', ['n', 'd']), info('B', ['m', 'd'])],
      output: [info('Y', ['n', 'm'])],
    },
  })).finish();
}
