import * as ort from 'onnxruntime-node';
import { inferenceErrors } from './errors.ts';
import type { InputPlan, ModelPlan } from './model-plan.ts';
import type { Batch, Prediction } from './reference-model.ts';

/**
 * One `session.run` per batch, as the plan says: the batch's columns are split into the model's
 * inputs (in input order) and converted to each input's element type; only the scored output (and
 * the label, when read) is fetched, as every output fetched costs a copy in onnxruntime-node.
 */
export function createRunner(session: ort.InferenceSession, plan: ModelPlan, path: string): (batch: Batch, readLabel: boolean) => Promise<Prediction> {
  const { scored } = plan;
  const withLabel = plan.label ? [scored.name, plan.label.name] : [scored.name];
  const scoresOnly = [scored.name];
  return async (batch, readLabel) => {
    const label = readLabel ? plan.label : undefined;
    const fetches = label ? withLabel : scoresOnly;
    if (batch.cols !== plan.inputDim || batch.data.length < batch.rows * batch.cols) {
      throw inferenceErrors.VIGIL_MONITOR_MODEL_INPUT_SHAPE({ expected: plan.inputDim, actual: batch.cols });
    }
    if (batch.rows === 0) return { data: new Float32Array(0), rows: 0, cols: scored.width, ...(label ? { labels: [] } : {}) };
    const feeds = feedsOf(plan.inputs, batch);
    const results = await session.run(feeds, fetches);
    const out = results[scored.name];
    if (out === undefined || !(out.data instanceof Float32Array || out.data instanceof Float64Array)) {
      throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: `output ${scored.name} did not come back as a float tensor` });
    }
    const prediction: Prediction = { data: out.data, rows: batch.rows, cols: scored.width };
    if (!label) return prediction;
    const labelData = results[label.name]?.data;
    const labels = labelData instanceof BigInt64Array ? Array.from(labelData, Number) : Array.isArray(labelData) ? labelData.map(String) : undefined;
    if (labels === undefined) throw inferenceErrors.VIGIL_MONITOR_MODEL_UNSUPPORTED({ path, reason: `label output ${label.name} did not come back as ${label.elemType}` });
    return { ...prediction, labels };
  };
}

/** A string input's values: the batch's category codes decoded through the column's vocabulary. */
function stringColumn(input: InputPlan, batch: Batch, offset: number): string[] {
  const vocabulary = batch.vocabularies?.[offset];
  if (!vocabulary) throw inferenceErrors.VIGIL_MONITOR_MODEL_INPUT_VALUE({ input: input.name, row: 0, value: 'a number', rule: 'a category: the model reads strings, and no vocabulary maps this column\'s codes to them' });
  const out: string[] = [];
  for (let i = 0; i < batch.rows; i++) {
    const code = batch.data[i * batch.cols + offset] as number;
    // A missing value (NaN code) is fed as the empty string.
    const value = Number.isNaN(code) ? '' : vocabulary[code];
    if (value === undefined) throw inferenceErrors.VIGIL_MONITOR_MODEL_INPUT_VALUE({ input: input.name, row: i, value: code, rule: `a category code below ${vocabulary.length}` });
    out.push(value);
  }
  return out;
}

function feedsOf(inputs: readonly InputPlan[], batch: Batch): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  const { rows, cols } = batch;
  let offset = 0;
  for (const input of inputs) {
    const dims = input.rank === 1 ? [rows] : [rows, input.width];
    if (inputs.length === 1 && input.elemType === 'float32' && batch.data instanceof Float32Array) {
      feeds[input.name] = new ort.Tensor('float32', batch.data.subarray(0, rows * cols), dims);
      continue;
    }
    if (input.elemType === 'string') {
      feeds[input.name] = new ort.Tensor('string', stringColumn(input, batch, offset), dims);
      offset += input.width;
      continue;
    }
    const n = rows * input.width;
    const values = input.elemType === 'float32' ? new Float32Array(n) : input.elemType === 'float64' ? new Float64Array(n) : new BigInt64Array(n);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < input.width; j++) {
        const x = batch.data[i * cols + offset + j] as number;
        if (values instanceof BigInt64Array) {
          if (!Number.isSafeInteger(x)) throw inferenceErrors.VIGIL_MONITOR_MODEL_INPUT_VALUE({ input: input.name, row: i, value: x, rule: 'a whole number (the model reads int64)' });
          values[i * input.width + j] = BigInt(x);
        } else {
          values[i * input.width + j] = x;
        }
      }
    }
    feeds[input.name] = new ort.Tensor(input.elemType, values, dims);
    offset += input.width;
  }
  return feeds;
}
