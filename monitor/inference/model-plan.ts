import type { Dim, ModelSignature, ValueSignature, ZipMapNode } from './model-signature.ts';

/**
 * What the monitor feeds a model and reads from it, decided from the model's signature alone:
 * the inputs (numeric tensors, one `[N, d]` or one per column), the scored output (the float
 * probabilities or values drift and parity watch), an int64/string label output, and the
 * adaptations (a ZipMap output read as the tensor feeding it). A model that cannot be used gets a
 * reason naming the input or output and why. Pure.
 */

export type NumericElem = 'float32' | 'float64' | 'int64';
export type InputElem = NumericElem | 'string';

export interface InputPlan {
  readonly name: string;
  /** string inputs are fed category values (batch codes decoded through a vocabulary, model-runner.ts). */
  readonly elemType: InputElem;
  /** string and integer columns are categorical features (fed to the model as they came). */
  readonly categorical: boolean;
  readonly shape: readonly Dim[];
  /** 1: fed as `[rows]`; 2: fed as `[rows, width]`. */
  readonly rank: 1 | 2;
  readonly width: number;
}

export interface OutputPlan {
  readonly name: string;
  readonly elemType: 'float32' | 'float64';
  /** As onnxruntime sees it (after adaptation). */
  readonly shape: readonly Dim[];
  readonly width: number;
  /** Class labels of the columns, when a ZipMap named them. */
  readonly classLabels?: readonly (number | string)[];
}

export interface LabelPlan {
  readonly name: string;
  readonly elemType: 'int64' | 'string';
}

export interface ZipMapAdaptation {
  readonly kind: 'zipmap';
  /** The graph output that was a ZipMap (sequence of maps) and is now a float32 tensor. */
  readonly output: string;
  /** The tensor that fed the ZipMap. */
  readonly from: string;
  readonly classLabels: readonly (number | string)[];
}

export interface ModelPlan {
  readonly inputs: readonly InputPlan[];
  /** Columns the inputs take in all, in input order. */
  readonly inputDim: number;
  /**
   * Several inputs: each takes the reference feature of its name (in input order). One input:
   * undefined — its `d` columns are the reference set's columns, in order.
   */
  readonly featureNames: readonly string[] | undefined;
  readonly scored: OutputPlan;
  readonly label: LabelPlan | undefined;
  readonly adaptations: readonly ZipMapAdaptation[];
  /** The ZipMap nodes replaced (zipmap-adapter.ts), for the session. */
  readonly zipMaps: readonly ZipMapNode[];
  /** Outputs neither scored nor observed as the label, and why. */
  readonly ignoredOutputs: readonly { name: string; reason: string }[];
}

/** Why a model cannot be used: names the input or output. */
export class UnusableModel extends Error {}

const FED: readonly string[] = ['float32', 'float64', 'int64', 'string'];

export function planModel(sig: ModelSignature, options: { outputName?: string } = {}): ModelPlan {
  if (sig.inputs.length === 0) throw new UnusableModel('it declares no input');
  const inputs = sig.inputs.map((v) => planInput(v, sig.inputs.length));
  const zipMaps = sig.zipMaps.filter((z) => !z.consumed && sig.outputs.some((o) => o.name === z.output));
  const adaptations = zipMaps.map((z): ZipMapAdaptation => ({ kind: 'zipmap', output: z.output, from: z.input, classLabels: z.classLabels }));
  const outputs = sig.outputs.map((o): ValueSignature => {
    const z = zipMaps.find((m) => m.output === o.name);
    return z ? { name: o.name, kind: 'tensor', elemType: 'float32', shape: ['N', z.classLabels.length], type: `tensor(float32)[N, ${z.classLabels.length}]` } : o;
  });
  const scored = pickScored(outputs, zipMaps, options.outputName);
  const labels = outputs.filter((o) => o.name !== scored.name && isLabel(o));
  const label = labels.length === 1 ? { name: (labels[0] as ValueSignature).name, elemType: (labels[0] as ValueSignature).elemType as 'int64' | 'string' } : undefined;
  const ignoredOutputs = outputs.filter((o) => o.name !== scored.name && o.name !== label?.name).map((o) => ({ name: o.name, reason: ignoredReason(o, labels.length) }));
  return {
    inputs,
    inputDim: inputs.reduce((n, i) => n + i.width, 0),
    featureNames: inputs.length > 1 ? inputs.map((i) => i.name) : undefined,
    scored: { ...scored, ...classLabelsOf(zipMaps, scored.name) },
    label, adaptations, zipMaps, ignoredOutputs,
  };
}

function planInput(v: ValueSignature, count: number): InputPlan {
  if (v.kind !== 'tensor') throw new UnusableModel(`input ${v.name} is ${v.type}: inputs must be tensors`);
  const shape = v.shape ?? [];
  if (!FED.includes(v.elemType ?? '')) throw new UnusableModel(`input ${v.name} is ${v.type}: only float32, float64, int64 and string inputs are fed`);
  const elemType = v.elemType as InputElem;
  const categorical = elemType === 'string' || elemType === 'int64';
  if (shape.length === 1) return { name: v.name, elemType, categorical, shape, rank: 1, width: 1 };
  const width = shape[1];
  if (elemType === 'string' && width !== 1) throw new UnusableModel(`input ${v.name} is ${v.type}: a string input must be one column ([N] or [N, 1]), one categorical feature`);
  if (shape.length !== 2 || typeof width !== 'number') throw new UnusableModel(`input ${v.name} is ${v.type}: inputs must be [N] or [N, d] with a fixed d`);
  if (count > 1 && width !== 1) throw new UnusableModel(`input ${v.name} is ${v.type}: with several inputs each must be one column ([N] or [N, 1]), mapped to the reference feature of its name`);
  return { name: v.name, elemType, categorical, shape, rank: 2, width };
}

function isFloatTensor(o: ValueSignature): boolean {
  return o.kind === 'tensor' && (o.elemType === 'float32' || o.elemType === 'float64');
}

function isLabel(o: ValueSignature): boolean {
  const shape = o.shape ?? [];
  return o.kind === 'tensor' && (o.elemType === 'int64' || o.elemType === 'string') && (shape.length === 1 || (shape.length === 2 && shape[1] === 1));
}

function pickScored(outputs: readonly ValueSignature[], zipMaps: readonly ZipMapNode[], wanted: string | undefined): Omit<OutputPlan, 'classLabels'> {
  let chosen: ValueSignature | undefined;
  if (wanted !== undefined) {
    chosen = outputs.find((o) => o.name === wanted);
    if (!chosen) throw new UnusableModel(`--model-output ${wanted}: the model has no output of that name (outputs: ${outputs.map((o) => o.name).join(', ')})`);
    if (!isFloatTensor(chosen)) throw new UnusableModel(`output ${wanted} is ${chosen.type}: the scored output must be a float32/float64 tensor (probabilities or values)${isLabel(chosen) ? '; an int64/string label is observed as the label next to it' : ''}`);
  } else {
    const floats = outputs.filter(isFloatTensor);
    const fromZipMap = floats.filter((o) => zipMaps.some((z) => z.output === o.name));
    const named = floats.filter((o) => /prob/i.test(o.name));
    chosen = floats.length === 1 ? floats[0] : fromZipMap.length === 1 ? fromZipMap[0] : named.length === 1 ? named[0] : undefined;
    if (!chosen && floats.length === 0) {
      throw new UnusableModel(`no output is a float tensor the monitor can score (${outputs.map((o) => `${o.name}: ${o.type}${o.kind === 'sequence' ? ' (not a ZipMap it can replace)' : ''}`).join('; ')})`);
    }
    if (!chosen) throw new UnusableModel(`outputs ${floats.map((o) => o.name).join(', ')} are all float tensors: pick the scored one with --model-output NAME`);
  }
  const shape = chosen.shape ?? [];
  const width = shape.length === 1 ? 1 : shape[1];
  if ((shape.length !== 1 && shape.length !== 2) || typeof width !== 'number') throw new UnusableModel(`output ${chosen.name} is ${chosen.type}: the scored output must be [N] or [N, k] with a fixed k`);
  return { name: chosen.name, elemType: chosen.elemType as 'float32' | 'float64', shape, width };
}

function classLabelsOf(zipMaps: readonly ZipMapNode[], name: string): { classLabels?: readonly (number | string)[] } {
  const z = zipMaps.find((m) => m.output === name);
  return z ? { classLabels: z.classLabels } : {};
}

function ignoredReason(o: ValueSignature, labelCount: number): string {
  if (isLabel(o)) return labelCount > 1 ? 'one of several label-like outputs: none is observed' : 'not observed';
  if (isFloatTensor(o)) return 'another output is scored (--model-output picks it)';
  return `${o.type}: not read`;
}
