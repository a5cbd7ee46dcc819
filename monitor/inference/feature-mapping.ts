import type { ModelPlan } from './model-plan.ts';

/**
 * How the reference set's features reach the model's inputs. One `[N, d]` input takes the
 * reference columns in order (d of them); several one-column inputs each take the reference
 * feature of the input's name, wherever it is in the reference set. Reference features no input
 * takes are still watched for drift. Pure.
 */
export interface FeatureMapping {
  /** Per model input: the reference feature(s) it is fed from. */
  readonly inputs: readonly { readonly input: string; readonly elemType: string; readonly features: readonly string[] }[];
  /** For each model column (inputs in order), the reference column it comes from. */
  readonly columns: readonly number[];
  /** Reference features no input takes (drift only). */
  readonly unused: readonly string[];
}

/**
 * Why the monitor cannot feed the model from a reference set without categorical features: a
 * string input needs one (category codes and their vocabulary; model-loader.ts checks each
 * string input's feature when there are some). Undefined when it can.
 */
export function unfedInputs(plan: ModelPlan): string | undefined {
  const strings = plan.inputs.filter((i) => i.elemType === 'string');
  if (strings.length === 0) return undefined;
  return `input ${strings.map((i) => `${i.name} is tensor(string)[${i.shape.join(', ')}]`).join(', input ')}: string (categorical) inputs need categorical features in the reference set (strings in the column, or config features type categorical), and it has none`;
}

/** Throws a RangeError naming the input and the features when the reference cannot feed the model. */
export function mapFeatures(plan: ModelPlan, features: readonly string[]): FeatureMapping {
  if (plan.featureNames === undefined) {
    const input = plan.inputs[0];
    if (!input || input.width !== features.length) {
      throw new RangeError(`rows have ${features.length} features; the model input ${input?.name ?? '?'} takes ${plan.inputDim}`);
    }
    return { inputs: [{ input: input.name, elemType: input.elemType, features: [...features] }], columns: features.map((_, j) => j), unused: [] };
  }
  const columns = plan.featureNames.map((name) => {
    const j = features.indexOf(name);
    if (j < 0) {
      throw new RangeError(`the model has one input per column (${plan.featureNames?.join(', ')}), fed from the reference feature of the same name, and the reference set has no feature ${name} (its features: ${features.join(', ')}); name the reference columns after the inputs (JSONL objects or a CSV header)`);
    }
    return j;
  });
  return {
    inputs: plan.inputs.map((i) => ({ input: i.name, elemType: i.elemType, features: [i.name] })),
    columns,
    unused: features.filter((f) => !plan.featureNames?.includes(f)),
  };
}

/** The model's columns picked out of rows in reference order. */
export function selectColumns(data: Float64Array, rows: number, cols: number, columns: readonly number[]): Float64Array {
  const width = columns.length;
  const out = new Float64Array(rows * width);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < width; k++) out[i * width + k] = data[i * cols + (columns[k] as number)] as number;
  }
  return out;
}
