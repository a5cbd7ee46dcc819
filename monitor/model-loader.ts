import { monitorErrors } from './errors.ts';
import type { ReferenceModel } from './model.ts';

/** Loads the reference ONNX model (monitor/inference, onnxruntime-node) and checks its SHA-256. */
export async function loadModel(path: string, _expectedSha256?: string): Promise<ReferenceModel> {
  throw monitorErrors.VIGIL_MONITOR_BAD_OPTION({ name: '--model', value: path, rule: 'reference inference (monitor/inference) is not merged into this build yet' });
}
