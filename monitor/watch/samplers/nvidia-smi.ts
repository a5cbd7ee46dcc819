import { failure, gpuReading, type GpuReading, type Sampler, type SampleResult } from '../types.ts';
import { execWithTimeout } from './exec.ts';

export const NVIDIA_SMI_FIELDS = ['index', 'uuid', 'name', 'memory.used', 'memory.total', 'utilization.gpu', 'temperature.gpu', 'power.draw'] as const;
export const NVIDIA_SMI_ARGS = [`--query-gpu=${NVIDIA_SMI_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];

const MIB = 1024 * 1024;

/** A field nvidia-smi could not read: `[N/A]`, `[Not Supported]`, `[Unknown Error]`, `[GPU is lost]`, `N/A`. */
function present(field: string): string | undefined {
  const f = field.trim();
  return f === '' || f === 'N/A' || /^\[.*\]$/.test(f) ? undefined : f;
}

function num(field: string | undefined): number | undefined {
  const f = field === undefined ? undefined : present(field);
  if (f === undefined) return undefined;
  const n = Number(f);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Parses `nvidia-smi --query-gpu=... --format=csv,noheader,nounits`: one GPU a line, fields in
 * NVIDIA_SMI_FIELDS order; memory in MiB, utilisation in %, temperature in °C, power in W.
 * A name containing commas is rejoined (the numeric fields are counted from the end).
 */
export function parseNvidiaSmiCsv(text: string): GpuReading[] {
  const gpus: GpuReading[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parts = line.split(',');
    if (parts.length < NVIDIA_SMI_FIELDS.length) throw new Error(`nvidia-smi line has ${parts.length} fields, expected ${NVIDIA_SMI_FIELDS.length}: ${line.trim()}`);
    const tail = parts.slice(parts.length - 5);
    const index = present(parts[0] as string);
    if (index === undefined) throw new Error(`nvidia-smi line without a GPU index: ${line.trim()}`);
    const uuid = present(parts[1] as string);
    const name = present(parts.slice(2, parts.length - 5).join(','));
    const used = num(tail[0]);
    const total = num(tail[1]);
    const util = num(tail[2]);
    const temp = num(tail[3]);
    const power = num(tail[4]);
    gpus.push(gpuReading({
      gpu: index, uuid, name,
      memoryUsedBytes: used === undefined ? undefined : used * MIB,
      memoryTotalBytes: total === undefined ? undefined : total * MIB,
      utilizationRatio: util === undefined ? undefined : util / 100,
      temperatureCelsius: temp,
      powerWatts: power,
    }));
  }
  return gpus;
}

export interface NvidiaSmiOptions {
  /** The nvidia-smi binary (default `nvidia-smi`, looked up on PATH). */
  readonly binary?: string;
  /** Kill nvidia-smi after this long (default 5000 ms): a hung driver must not hang the watcher. */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** GPUs through nvidia-smi. No binary, no GPU, a failing exit or a timeout are failures. */
export function nvidiaSmiSampler(opts: NvidiaSmiOptions = {}): Sampler {
  const binary = opts.binary ?? 'nvidia-smi';
  const timeoutMs = opts.timeoutMs ?? 5000;
  return {
    target: 'gpu:nvidia-smi',
    type: 'gpu',
    primaryKind: 'gpu_memory_used',
    async sample(signal: AbortSignal): Promise<SampleResult> {
      const run = await execWithTimeout(binary, NVIDIA_SMI_ARGS, { timeoutMs, signal, ...(opts.env ? { env: opts.env } : {}) });
      if (run.spawnError) return failure(`${binary} cannot be run: ${run.spawnError}`);
      if (run.timedOut) return failure(`${binary} did not finish within ${timeoutMs} ms (killed)`);
      if (run.code !== 0) return failure(`${binary} exited with ${run.code}: ${(run.stderr || run.stdout).trim().split('\n')[0] ?? ''}`);
      let gpus: GpuReading[];
      try {
        gpus = parseNvidiaSmiCsv(run.stdout);
      } catch (err) {
        return failure((err as Error).message);
      }
      if (gpus.length === 0) return failure(`${binary} listed no GPU`);
      return { ok: true, memory: [], gpus };
    },
  };
}
