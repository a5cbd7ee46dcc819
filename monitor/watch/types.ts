/** One memory reading of one target: `vigil_memory_bytes{target,kind}`. */
export interface MemoryReading {
  readonly target: string;
  readonly kind: string;
  readonly bytes: number;
}

/** One GPU as a sampler saw it. Fields the source did not report (`[N/A]`) are absent, never 0. */
export interface GpuReading {
  /** Index as nvidia-smi / dcgm-exporter number it: the `gpu` label. */
  readonly gpu: string;
  readonly uuid?: string;
  readonly name?: string;
  readonly memoryUsedBytes?: number;
  readonly memoryTotalBytes?: number;
  /** 0..1 */
  readonly utilizationRatio?: number;
  readonly temperatureCelsius?: number;
  readonly powerWatts?: number;
}

export type SampleResult =
  | { readonly ok: true; readonly memory: readonly MemoryReading[]; readonly gpus: readonly GpuReading[]; readonly limitBytes?: number }
  | { readonly ok: false; readonly error: string };

/**
 * A sampler reads one source. It never throws and never invents a value: a probe that fails
 * returns `{ ok: false, error }`, which becomes `..._collect_success 0`.
 */
export interface Sampler {
  /** The `target` label: `self`, `pid:123`, `metrics:URL`, `gpu:nvidia-smi`, `gpu:dcgm`. */
  readonly target: string;
  readonly type: 'memory' | 'gpu';
  /** Memory samplers: the kind the trend is computed on (`rss` unless configured). */
  readonly primaryKind: string;
  sample(signal: AbortSignal): Promise<SampleResult>;
}

export function failure(error: string): SampleResult {
  return { ok: false, error };
}

/** A GpuReading without the fields that were not reported (absent, not undefined-valued). */
export function gpuReading(fields: { gpu: string } & { [K in Exclude<keyof GpuReading, 'gpu'>]: GpuReading[K] | undefined }): GpuReading {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as GpuReading;
}
