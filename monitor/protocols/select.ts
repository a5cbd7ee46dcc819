import type { MonitorConfig } from '../config.ts';
import type { Codec } from './codec.ts';
import { createJsonCodec } from './json.ts';
import { createKserveV2Codec, type TensorCodecOptions } from './kserve-v2.ts';
import { createTfServingCodec } from './tfserving.ts';
import { createOpenAiCodec } from './openai.ts';

/** The codec `proxy.protocol` names, with its options from the config. */
export function codecFor(proxy: MonitorConfig['proxy']): Codec {
  const tensors: TensorCodecOptions = {
    ...(proxy.inputTensor !== undefined ? { inputTensor: proxy.inputTensor } : {}),
    ...(proxy.outputTensor !== undefined ? { outputTensor: proxy.outputTensor } : {}),
  };
  switch (proxy.protocol) {
    case 'kserve-v2': return createKserveV2Codec(tensors);
    case 'tfserving': return createTfServingCodec(tensors);
    case 'openai': return createOpenAiCodec();
    default: return createJsonCodec({ path: proxy.path, inputs: proxy.inputs, outputs: proxy.outputs });
  }
}
