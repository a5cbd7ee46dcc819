/**
 * The ONNX graph of one MMD evaluation against a prepared reference: everything that grows with
 * the current window runs inside onnxruntime in one call — distances, kernel, the exact sums the
 * observed MMD² needs, and the B permutation sums as matrix products. Pure model construction.
 *
 * With X the n reference rows, Y the m current rows, K the pooled kernel without its diagonal in
 * blocks K = [[Kxx, Kyxᵀ], [Kyx, Kyy]] — Kyx (m×n) and Kyy (m×m, zero diagonal) computed here, Kxx
 * (n×n, zero diagonal) prepared once — and L = [Lx | Ly] the B×N 0/1 label matrix (1 = "current"
 * side of permutation p):
 *
 *   dist(Y, X)   = ‖y‖² − 2 Y·Xᵀ + ‖x‖²         (Gemm with alpha = −2 and C = ‖y‖², then Add; float64)
 *   Kyx          = mean_g exp(−γ_g · max(dist, 0))  (float64: the observed MMD² is exact)
 *   V_top (n×B)  = Kxx·Lxᵀ + Kyxᵀ·Lyᵀ             (float32: the B permutation statistics)
 *   V_bot (m×B)  = Kyx·Lxᵀ + Kyy·Lyᵀ
 *
 * so V = K·Lᵀ without ever materialising the dense N×N kernel. The float32 blocks are the ones
 * the permutation sums use, so their row sums (of the stored float32 values, added in float64)
 * come out too, as in the JS path.
 */
import { encodeModel, type GraphNode, type GraphValue } from './onnx-graph.ts';

/** onnx.TensorProto.DataType values for Cast. */
const TO_FLOAT = 1;
const TO_DOUBLE = 11;

/** Kernel of two distance matrices' worth of nodes: returns the name of the (mean) kernel value. */
function kernelNodes(nodes: GraphNode[], prefix: string, dist: string, gammas: number): string {
  const relu = `${prefix}_d`;
  nodes.push({ op: 'Relu', inputs: [dist], outputs: [relu] });
  const terms: string[] = [];
  for (let g = 0; g < gammas; g++) {
    const scaled = `${prefix}_s${g}`;
    const k = `${prefix}_k${g}`;
    nodes.push({ op: 'Mul', inputs: [relu, `neg_gamma_${g}`], outputs: [scaled] });
    nodes.push({ op: 'Exp', inputs: [scaled], outputs: [k] });
    terms.push(k);
  }
  if (gammas === 1) return terms[0] as string;
  nodes.push({ op: 'Sum', inputs: terms, outputs: [`${prefix}_ksum`] });
  nodes.push({ op: 'Mul', inputs: [`${prefix}_ksum`, 'inv_gammas'], outputs: [`${prefix}_k`] });
  return `${prefix}_k`;
}

export function mmdEvaluationModel(gammas: number): Uint8Array {
  const f64 = (name: string, dims: (string | number)[]): GraphValue => ({ name, type: 'float64', dims });
  const f32 = (name: string, dims: (string | number)[]): GraphValue => ({ name, type: 'float32', dims });
  const inputs: GraphValue[] = [
    f64('Y', ['m', 'd']), f64('X', ['n', 'd']), f64('y_norms_col', ['m', 1]), f64('y_norms', ['m']), f64('x_norms', ['n']),
    ...Array.from({ length: gammas }, (_, g) => f64(`neg_gamma_${g}`, [1])),
    ...(gammas > 1 ? [f64('inv_gammas', [1])] : []),
    f32('Kxx', ['n', 'n']), f32('Lx', ['B', 'n']), f32('Ly', ['B', 'm']),
  ];
  const nodes: GraphNode[] = [
    { op: 'Gemm', inputs: ['Y', 'X', 'y_norms_col'], outputs: ['yx_partial'], attributes: { transB: 1, alpha: { f: -2 } } },
    { op: 'Add', inputs: ['yx_partial', 'x_norms'], outputs: ['yx_dist'] },
    { op: 'Gemm', inputs: ['Y', 'Y', 'y_norms_col'], outputs: ['yy_partial'], attributes: { transB: 1, alpha: { f: -2 } } },
    { op: 'Add', inputs: ['yy_partial', 'y_norms'], outputs: ['yy_dist'] },
  ];
  const kyx = kernelNodes(nodes, 'yx', 'yx_dist', gammas);
  const kyyFull = kernelNodes(nodes, 'yy', 'yy_dist', gammas);
  nodes.push(
    // Zero diagonal: K − K ⊙ I (the unbiased estimator never uses k(y, y)).
    { op: 'EyeLike', inputs: [kyyFull], outputs: ['eye'] },
    { op: 'Mul', inputs: [kyyFull, 'eye'], outputs: ['kyy_diag'] },
    { op: 'Sub', inputs: [kyyFull, 'kyy_diag'], outputs: ['kyy'] },
    // Exact (float64) sums for the observed MMD².
    { op: 'ReduceSum', inputs: [kyx], outputs: ['sum_yx'], attributes: { keepdims: 0 } },
    { op: 'ReduceSum', inputs: ['kyy'], outputs: ['sum_yy_twice'], attributes: { keepdims: 0 } },
    // The stored float32 blocks and their row sums (float64 sums of the float32 values).
    { op: 'Cast', inputs: [kyx], outputs: ['kyx32'], attributes: { to: TO_FLOAT } },
    { op: 'Cast', inputs: ['kyy'], outputs: ['kyy32'], attributes: { to: TO_FLOAT } },
    { op: 'Cast', inputs: ['kyx32'], outputs: ['kyx32_64'], attributes: { to: TO_DOUBLE } },
    { op: 'Cast', inputs: ['kyy32'], outputs: ['kyy32_64'], attributes: { to: TO_DOUBLE } },
    { op: 'ReduceSum', inputs: ['kyx32_64'], outputs: ['row_yx'], attributes: { axes: [1], keepdims: 0 } },
    { op: 'ReduceSum', inputs: ['kyx32_64'], outputs: ['col_yx'], attributes: { axes: [0], keepdims: 0 } },
    { op: 'ReduceSum', inputs: ['kyy32_64'], outputs: ['row_yy'], attributes: { axes: [1], keepdims: 0 } },
    // The B permutation sums: V = K·Lᵀ by blocks.
    { op: 'Gemm', inputs: ['Kxx', 'Lx'], outputs: ['top_ref'], attributes: { transB: 1 } },
    { op: 'Gemm', inputs: ['kyx32', 'Ly', 'top_ref'], outputs: ['V_top'], attributes: { transA: 1, transB: 1 } },
    { op: 'Gemm', inputs: ['kyx32', 'Lx'], outputs: ['bot_ref'], attributes: { transB: 1 } },
    { op: 'Gemm', inputs: ['kyy32', 'Ly', 'bot_ref'], outputs: ['V_bot'], attributes: { transB: 1 } },
  );
  const outputs: GraphValue[] = [
    f64('sum_yx', []), f64('sum_yy_twice', []), f64('row_yx', ['m']), f64('col_yx', ['n']), f64('row_yy', ['m']),
    f32('V_top', ['n', 'B']), f32('V_bot', ['m', 'B']),
  ];
  return encodeModel('mmd_evaluation', 11, inputs, outputs, nodes);
}
