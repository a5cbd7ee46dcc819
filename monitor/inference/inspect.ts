import { readFile } from 'node:fs/promises';
import { isVigilError } from '../../common/errors.ts';
import { mapFeatures, unfedInputs, type FeatureMapping } from './feature-mapping.ts';
import type { ZipMapAdaptation } from './model-plan.ts';
import { readModelSignature, type ModelSignature } from './model-signature.ts';
import { loadReferenceModel, sha256Hex } from './reference-model.ts';

/**
 * `vigil monitor inspect MODEL.onnx` (text in inspect-format.ts): what the monitor will feed the model and read from it —
 * every input and output as declared, the role each output plays (scored, label, not read), the
 * adaptations made at load, and the feature mapping — checked by loading the model exactly as
 * `monitor serve` does (adapted bytes, a real onnxruntime session).
 */
export const INSPECTION_SCHEMA = 'vigil.model.inspection/v1';

export interface ModelInspection {
  readonly schema: typeof INSPECTION_SCHEMA;
  readonly path: string;
  readonly sha256: string;
  readonly producer: string;
  readonly irVersion: number;
  readonly opsets: ModelSignature['opsets'];
  readonly operators: readonly string[];
  readonly inputs: readonly { name: string; type: string; fed: boolean; categorical: boolean }[];
  readonly outputs: readonly { name: string; type: string; role: 'scored' | 'label' | 'not read'; readAs: string | null; classLabels: readonly (number | string)[] | null; note: string | null }[];
  readonly adaptations: readonly ZipMapAdaptation[];
  /** With reference features: which feed which input (otherwise how they would be matched). */
  readonly featureMapping: { readonly rule: string; readonly inputs: FeatureMapping['inputs'] | null; readonly unused: readonly string[] } | null;
  readonly usable: boolean;
  /** Why the monitor would refuse it (the coded error it would start with). */
  readonly problem: { readonly code: string; readonly message: string } | null;
}

export interface InspectOptions {
  readonly outputName?: string;
  /** The reference set's features, to show the actual mapping. */
  readonly features?: readonly string[];
}

export async function inspectModel(path: string, options: InspectOptions = {}): Promise<ModelInspection> {
  let model;
  try {
    model = await loadReferenceModel(path, options.outputName ? { outputName: options.outputName } : {});
  } catch (err) {
    if (!isVigilError(err) || err.code !== 'VIGIL_MONITOR_MODEL_UNSUPPORTED') throw err;
    const bytes = await readFile(path);
    const signature = readModelSignature(bytes);
    return {
      ...header(path, sha256Hex(bytes), signature),
      inputs: signature.inputs.map((i) => ({ name: i.name, type: i.type, fed: false, categorical: false })),
      outputs: signature.outputs.map((o) => ({ name: o.name, type: o.type, role: 'not read', readAs: null, classLabels: null, note: null })),
      adaptations: [], featureMapping: null, usable: false, problem: { code: err.code, message: err.message },
    };
  }
  try {
    const { plan, signature } = model;
    let mapping: FeatureMapping | undefined;
    const unfed = unfedInputs(plan);
    let problem: ModelInspection['problem'] = unfed ? { code: 'VIGIL_MONITOR_MODEL_UNSUPPORTED', message: `model file ${path} cannot be used as the reference model: ${unfed}` } : null;
    if (options.features && !problem) {
      try {
        mapping = mapFeatures(plan, options.features);
      } catch (err) {
        problem = { code: 'VIGIL_MONITOR_REFERENCE_INVALID', message: (err as Error).message };
      }
    }
    const rule = plan.featureNames
      ? `one input per column: each takes the reference feature of its name (${plan.featureNames.join(', ')})`
      : `one input: the reference set's ${plan.inputDim} columns, in order`;
    return {
      ...header(path, model.sha256, signature),
      inputs: signature.inputs.map((i) => ({ name: i.name, type: i.type, fed: true, categorical: plan.inputs.find((p) => p.name === i.name)?.categorical ?? false })),
      outputs: signature.outputs.map((o) => {
        const adaptation = plan.adaptations.find((a) => a.output === o.name);
        if (o.name === plan.scored.name) {
          return {
            name: o.name, type: o.type, role: 'scored' as const,
            readAs: `tensor(${plan.scored.elemType})[${plan.scored.shape.join(', ')}]`,
            classLabels: plan.scored.classLabels ?? null,
            note: adaptation ? `a ZipMap, replaced by its input tensor ${adaptation.from}` : null,
          };
        }
        if (o.name === plan.label?.name) return { name: o.name, type: o.type, role: 'label' as const, readAs: o.type, classLabels: null, note: 'compared exactly with the deployed label' };
        return { name: o.name, type: o.type, role: 'not read' as const, readAs: null, classLabels: null, note: plan.ignoredOutputs.find((i) => i.name === o.name)?.reason ?? null };
      }),
      adaptations: plan.adaptations,
      featureMapping: { rule, inputs: mapping?.inputs ?? null, unused: mapping?.unused ?? [] },
      usable: problem === null,
      problem,
    };
  } finally {
    await model.close();
  }
}

function header(path: string, sha256: string, s: ModelSignature) {
  return { schema: INSPECTION_SCHEMA, path, sha256, producer: s.producer, irVersion: s.irVersion, opsets: s.opsets, operators: s.operators } as const;
}
