export { loadReferenceModel, referenceModelFromBytes, sha256Hex } from './reference-model.ts';
export type { Batch, Prediction, ReferenceModel, LoadModelOptions, Dim } from './reference-model.ts';
export { createMicroBatcher } from './micro-batcher.ts';
export type { MicroBatcher, MicroBatcherOptions, MicroBatcherStats, BatchableModel } from './micro-batcher.ts';
export { inferenceErrors } from './errors.ts';
