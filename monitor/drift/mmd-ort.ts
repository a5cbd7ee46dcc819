import ort from 'onnxruntime-node';
import type { Matrix } from './matrix.ts';
import { prepareReferences, summarizePermutations, validateCurrent, type MmdOptions, type MmdResult, type PreparedReference } from './mmd.ts';
import { minPAggregate, type BandwidthOutcome } from './mmd-aggregate.ts';
import { mmdEvaluationModel } from './mmd-ort-graph.ts';
import { rowSquaredNorms } from './gemm.ts';
import { mmd2FromSums } from './permutations.ts';
import { createRng, drawSubset } from './rng.ts';

/**
 * The MMD permutation test with each evaluation run as ONE onnxruntime-node call (the graph of
 * mmd-ort-graph.ts): the current window's distances and kernel blocks (float64, so the observed
 * MMD² is exact to rounding) and the B permutation statistics as matrix products of the float32
 * kernel with the 0/1 label matrix. Same bandwidth, reference block and permutations (same RNG
 * draws) as createMmdTest; the permuted sums are accumulated in float32 by the GEMM (relative
 * error ~1e-7). Asynchronous because onnxruntime's run() is; not re-exported from index.ts so
 * that importing the engine does not load onnxruntime.
 */
export interface AsyncMmdTest {
  readonly sigma: number[];
  test(current: Matrix): Promise<MmdResult>;
  testDetailed(current: Matrix): Promise<{ result: MmdResult; permuted: Float64Array }>;
}

const sessions = new Map<string, Promise<ort.InferenceSession>>();

/**
 * Pooled sizes above which the session runs without onnxruntime's CPU memory arena. The arena
 * keeps the graph's buffers between runs (1,000 + 1,000: 33 ms per evaluation with it, 150 ms
 * without, all of it page faults); at 5,000 + 5,000 its float64 blocks are 200 MB each and the
 * arena holds them all (peak RSS 2.5 GB with it, 1.4 GB without, and no slower).
 */
export const ORT_ARENA_MAX_POOLED = 4000;

/** One session per number of bandwidths (the graph has one exp per bandwidth) and arena choice. */
function evaluationSession(gammas: number, arena: boolean): Promise<ort.InferenceSession> {
  const key = `${gammas}:${arena}`;
  let s = sessions.get(key);
  if (!s) {
    s = ort.InferenceSession.create(mmdEvaluationModel(gammas), { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', enableCpuMemArena: arena });
    sessions.set(key, s);
  }
  return s;
}

/** The reference side as onnxruntime inputs, built once: X, its norms and the dense float32 Kxx (zero diagonal). */
interface ReferenceTensors { X: ort.Tensor; xNorms: ort.Tensor; Kxx: ort.Tensor; gammas: Record<string, ort.Tensor> }

function referenceTensors(prep: PreparedReference): ReferenceTensors {
  const { reference, refNorms, refBlock, gammas } = prep;
  const n = reference.rows;
  const dense = new Float32Array(n * n);
  const { data, rowStart } = refBlock.packed;
  for (let i = 0; i < n; i++) {
    const base = rowStart[i] as number;
    for (let j = i + 1; j < n; j++) {
      const v = data[base + j] as number;
      dense[i * n + j] = v;
      dense[j * n + i] = v;
    }
  }
  const g: Record<string, ort.Tensor> = {};
  gammas.forEach((gamma, k) => { g[`neg_gamma_${k}`] = new ort.Tensor('float64', Float64Array.of(-gamma), [1]); });
  if (gammas.length > 1) g['inv_gammas'] = new ort.Tensor('float64', Float64Array.of(1 / gammas.length), [1]);
  return {
    X: new ort.Tensor('float64', reference.data, [n, reference.cols]),
    xNorms: new ort.Tensor('float64', refNorms, [n]),
    Kxx: new ort.Tensor('float32', dense, [n, n]),
    gammas: g,
  };
}

export async function createMmdTestOrt(reference: Matrix, opts: MmdOptions): Promise<AsyncMmdTest> {
  const preps = prepareReferences(reference, opts).map((prep) => ({ prep, tensors: referenceTensors(prep) }));
  const one = async (prep: PreparedReference, tensors: ReferenceTensors, current: Matrix, labels: Labels): Promise<{ result: MmdResult; permuted: Float64Array }> => {
    const session = await evaluationSession(prep.gammas.length, reference.rows + current.rows <= ORT_ARENA_MAX_POOLED);
    const { mmd2, permuted } = await evaluate(session, prep, tensors, current, labels);
    return { result: summarizePermutations(mmd2, permuted, prep.sigma, opts), permuted };
  };
  const testDetailed = async (current: Matrix): Promise<{ result: MmdResult; permuted: Float64Array }> => {
    const first = preps[0] as { prep: PreparedReference; tensors: ReferenceTensors };
    validateCurrent(first.prep, current);
    // One set of permutations per evaluation, shared by every bandwidth (as min-p needs).
    const labels = drawLabels(reference.rows, current.rows, opts);
    if (preps.length === 1) return one(first.prep, first.tensors, current, labels);
    const outcomes: BandwidthOutcome[] = [];
    for (const { prep, tensors } of preps) outcomes.push({ sigma: prep.sigma[0] as number, ...await one(prep, tensors, current, labels) });
    return minPAggregate(outcomes, opts);
  };
  const sigma = preps.flatMap((p) => p.prep.sigma);
  return Object.freeze({ sigma, test: async (c: Matrix) => (await testDetailed(c)).result, testDetailed });
}

/** The B permutations: each one's pooled indices on the "current" side, and as 0/1 label tensors by block. */
interface Labels { subsets: Int32Array[]; Lx: ort.Tensor; Ly: ort.Tensor }

/** The same draws as permutedMmd2 (JS path), from `opts.seed`. */
function drawLabels(n: number, m: number, opts: MmdOptions): Labels {
  const total = n + m;
  const B = opts.permutations;
  const rng = createRng(opts.seed);
  const scratch = Int32Array.from({ length: total }, (_, i) => i);
  const subsets: Int32Array[] = [];
  const Lx = new Float32Array(B * n);
  const Ly = new Float32Array(B * m);
  for (let p = 0; p < B; p++) {
    const s = drawSubset(rng, scratch, m, new Int32Array(m)).slice();
    subsets.push(s);
    for (const i of s) {
      if (i < n) Lx[p * n + i] = 1;
      else Ly[p * m + i - n] = 1;
    }
  }
  return { subsets, Lx: new ort.Tensor('float32', Lx, [B, n]), Ly: new ort.Tensor('float32', Ly, [B, m]) };
}

async function evaluate(session: ort.InferenceSession, prep: PreparedReference, ref: ReferenceTensors, current: Matrix, labels: Labels): Promise<{ mmd2: number; permuted: Float64Array }> {
  const n = prep.reference.rows;
  const m = current.rows;
  const total = n + m;
  const { subsets } = labels;
  const B = subsets.length;
  const yNorms = rowSquaredNorms(current);
  const out = await session.run({
    Y: new ort.Tensor('float64', current.data, [m, current.cols]),
    X: ref.X,
    y_norms_col: new ort.Tensor('float64', yNorms, [m, 1]),
    y_norms: new ort.Tensor('float64', yNorms, [m]),
    x_norms: ref.xNorms,
    ...ref.gammas,
    Kxx: ref.Kxx,
    Lx: labels.Lx,
    Ly: labels.Ly,
  });
  const scalar = (name: string): number => (out[name]?.data as Float64Array)[0] as number;
  const vector = (name: string): Float64Array => out[name]?.data as Float64Array;
  const mmd2 = mmd2FromSums(prep.refBlock.pairSum, scalar('sum_yy_twice') / 2, scalar('sum_yx'), n, m);

  const rowYx = vector('row_yx'), colYx = vector('col_yx'), rowYy = vector('row_yy');
  const rowSums = new Float64Array(total);
  let storedCross = 0, storedCurTwice = 0;
  for (let i = 0; i < n; i++) rowSums[i] = (prep.refBlock.storedRowSums[i] as number) + (colYx[i] as number);
  for (let j = 0; j < m; j++) {
    rowSums[n + j] = (rowYx[j] as number) + (rowYy[j] as number);
    storedCross += rowYx[j] as number;
    storedCurTwice += rowYy[j] as number;
  }
  const allPairs = prep.refBlock.storedPairSum + storedCurTwice / 2 + storedCross;
  const top = out['V_top']?.data as Float32Array;
  const bottom = out['V_bot']?.data as Float32Array;
  const permuted = new Float64Array(B);
  subsets.forEach((s, p) => {
    let quad = 0;
    let rsum = 0;
    for (const i of s) {
      quad += (i < n ? top[i * B + p] : bottom[(i - n) * B + p]) as number;
      rsum += rowSums[i] as number;
    }
    const sYY = quad / 2;
    const sXY = rsum - 2 * sYY;
    permuted[p] = mmd2FromSums(allPairs - sYY - sXY, sYY, sXY, n, m);
  });
  return { mmd2, permuted };
}
