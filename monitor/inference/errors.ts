import { defineErrors } from '../../common/errors.ts';

/** Coded errors of the reference model (loading, checking, running) and its micro-batcher. */
export const inferenceErrors = defineErrors({
  VIGIL_MONITOR_MODEL_NOT_FOUND: {
    message: 'model file {path} cannot be read: {reason}',
  },
  VIGIL_MONITOR_MODEL_SHA256_MISMATCH: {
    message: 'model file {path} has SHA-256 {actual}, expected {expected}; refusing to load a model that is not the one pinned',
  },
  VIGIL_MONITOR_MODEL_BAD_SHA256: {
    message: 'expected SHA-256 {value} is not 64 hexadecimal digits',
  },
  VIGIL_MONITOR_MODEL_LOAD_FAILED: {
    message: 'model file {path} is not a model onnxruntime can load: {reason}',
  },
  VIGIL_MONITOR_MODEL_UNSUPPORTED: {
    message: 'model file {path} cannot be used as the reference model: {reason}',
  },
  VIGIL_MONITOR_MODEL_INPUT_SHAPE: {
    message: 'model input needs {expected} features per row, got {actual}',
    status: 400,
  },
  VIGIL_MONITOR_MODEL_INPUT_VALUE: {
    message: 'model input {input}, row {row}: {value} is not {rule}',
    status: 400,
  },
  VIGIL_MONITOR_BATCHER_BAD_OPTION: {
    message: 'micro-batcher option {name} is {value}; it must be {rule}',
  },
  VIGIL_MONITOR_MODEL_CLOSED: {
    message: 'the reference model ({what}) is closed',
    status: 503,
  },
});
