import type { ReferenceModel } from '../model.ts';

/**
 * The model part of `GET /v1/status` beyond names and shapes: every input and what feeds it, the
 * scored output, the label output, the adaptations made at load (a ZipMap read as its tensor) and
 * the outputs not read.
 */
export function modelPlanStatus(model: ReferenceModel) {
  const { plan, mapping } = model;
  if (!plan) return {};
  return {
    inputs: plan.inputs.map((i) => ({
      name: i.name, type: i.elemType, shape: i.shape,
      features: mapping?.inputs.find((m) => m.input === i.name)?.features ?? null,
    })),
    scoredOutput: { name: plan.scored.name, type: plan.scored.elemType, shape: plan.scored.shape, classLabels: plan.scored.classLabels ?? null },
    labelOutput: plan.label ? { name: plan.label.name, type: plan.label.elemType } : null,
    adaptations: plan.adaptations,
    ignoredOutputs: plan.ignoredOutputs,
    unusedFeatures: mapping?.unused ?? [],
  };
}
