import { failure, gpuReading, type GpuReading, type Sampler, type SampleResult } from '../types.ts';
import { fetchExposition, parseExposition, type ExpositionSample } from './exposition.ts';

const MIB = 1024 * 1024;

interface Acc { uuid?: string; name?: string; used?: number; free?: number; reserved?: number; util?: number; temp?: number; power?: number }

/**
 * GPUs from dcgm-exporter's metrics (labels `gpu`, `UUID`, `modelName`):
 * DCGM_FI_DEV_FB_USED / _FREE / _RESERVED (MiB; total = their sum), DCGM_FI_DEV_GPU_UTIL (%),
 * DCGM_FI_DEV_GPU_TEMP (°C), DCGM_FI_DEV_POWER_USAGE (W).
 */
export function gpusFromDcgm(samples: readonly ExpositionSample[]): GpuReading[] {
  const byGpu = new Map<string, Acc>();
  for (const s of samples) {
    if (!s.name.startsWith('DCGM_FI_DEV_') || !Number.isFinite(s.value)) continue;
    const gpu = s.labels.gpu;
    if (gpu === undefined) continue;
    const acc = byGpu.get(gpu) ?? {};
    byGpu.set(gpu, acc);
    if (s.labels.UUID) acc.uuid = s.labels.UUID;
    if (s.labels.modelName) acc.name = s.labels.modelName;
    switch (s.name) {
      case 'DCGM_FI_DEV_FB_USED': acc.used = s.value; break;
      case 'DCGM_FI_DEV_FB_FREE': acc.free = s.value; break;
      case 'DCGM_FI_DEV_FB_RESERVED': acc.reserved = s.value; break;
      case 'DCGM_FI_DEV_GPU_UTIL': acc.util = s.value; break;
      case 'DCGM_FI_DEV_GPU_TEMP': acc.temp = s.value; break;
      case 'DCGM_FI_DEV_POWER_USAGE': acc.power = s.value; break;
    }
  }
  return [...byGpu].sort(([a], [b]) => Number(a) - Number(b)).map(([gpu, a]) => gpuReading({
    gpu, uuid: a.uuid, name: a.name,
    memoryUsedBytes: a.used === undefined ? undefined : a.used * MIB,
    memoryTotalBytes: a.used !== undefined && a.free !== undefined ? (a.used + a.free + (a.reserved ?? 0)) * MIB : undefined,
    utilizationRatio: a.util === undefined ? undefined : a.util / 100,
    temperatureCelsius: a.temp,
    powerWatts: a.power,
  }));
}

/** GPUs through a dcgm-exporter endpoint (e.g. http://node:9400/metrics). */
export function dcgmSampler(url: string, opts: { timeoutMs?: number } = {}): Sampler {
  const timeoutMs = opts.timeoutMs ?? 5000;
  return {
    target: 'gpu:dcgm',
    type: 'gpu',
    primaryKind: 'gpu_memory_used',
    async sample(signal: AbortSignal): Promise<SampleResult> {
      try {
        const gpus = gpusFromDcgm(parseExposition(await fetchExposition(url, timeoutMs, signal)));
        if (gpus.length === 0) return failure(`${url} has no DCGM_FI_DEV_* series with a gpu label`);
        return { ok: true, memory: [], gpus };
      } catch (err) {
        return failure((err as Error).message);
      }
    },
  };
}
