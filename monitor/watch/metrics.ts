import { Gauge, type Registry } from 'prom-client';
import type { GpuReading, MemoryReading } from './types.ts';

/** The trend verdict of one watched series (a process's primary memory kind, or a GPU's memory). */
export interface TargetVerdict {
  readonly target: string;
  readonly kind: string;
  readonly leakSuspected: boolean;
  /** Consecutive evaluations that met the leak conditions. */
  readonly consecutive: number;
  readonly slopeBytesPerSecond: number | null;
  readonly pValue: number | null;
  readonly samples: number;
  readonly spanSeconds: number;
  readonly latestBytes: number | null;
  readonly limitBytes: number | null;
  readonly secondsToExhaustion: number | null;
}

/** What the collectors read at scrape time. */
export interface WatchSnapshot {
  readonly memory: readonly MemoryReading[];
  readonly collect: readonly { target: string; ok: boolean; error?: string }[];
  readonly verdicts: readonly TargetVerdict[];
  /** `configured` false: no GPU sampler, so no GPU metric at all (not even collect_success). */
  readonly gpu: { readonly configured: boolean; readonly ok: boolean; readonly error?: string; readonly gpus: readonly GpuReading[] };
}

/**
 * Registers the watcher's metrics on `registry` (prom-client collectors, values set at scrape
 * time from `read()`): the names of SPEC.md "Metric names", plus vigil_memory_collect_success
 * {target} and vigil_gpu_power_watts{gpu}. `labels` (e.g. `{ model }`) go on every series.
 */
export function registerWatchMetrics(registry: Registry, read: () => WatchSnapshot, labels: Readonly<Record<string, string>> = {}): void {
  const extra = Object.keys(labels);
  const gauge = (name: string, help: string, labelNames: string[], fill: (set: (l: Record<string, string>, v: number) => void) => void): void => {
    new Gauge({
      name, help, labelNames: [...labelNames, ...extra], registers: [registry],
      collect(this: Gauge) {
        this.reset();
        fill((l, v) => this.set({ ...l, ...labels }, v));
      },
    });
  };
  gauge('vigil_memory_bytes', 'Memory of a watched target by kind (rss, pss, heap_used, ...), bytes.', ['target', 'kind'], (set) => {
    for (const m of read().memory) set({ target: m.target, kind: m.kind }, m.bytes);
  });
  gauge('vigil_memory_collect_success', '1 when the last sample of the target succeeded, else 0.', ['target'], (set) => {
    for (const c of read().collect) set({ target: c.target }, c.ok ? 1 : 0);
  });
  gauge('vigil_memory_growth_bytes_per_second', 'Theil–Sen slope of the target\'s memory over the window, bytes/s.', ['target'], (set) => {
    for (const v of read().verdicts) if (v.slopeBytesPerSecond !== null) set({ target: v.target }, v.slopeBytesPerSecond);
  });
  gauge('vigil_memory_leak_suspected', '1 when a leak is suspected: significant, fast enough, sustained growth.', ['target'], (set) => {
    for (const v of read().verdicts) set({ target: v.target }, v.leakSuspected ? 1 : 0);
  });
  gauge('vigil_memory_seconds_to_exhaustion', 'Projected seconds until the memory limit is reached at the current slope (+Inf when not growing).', ['target'], (set) => {
    for (const v of read().verdicts) if (v.secondsToExhaustion !== null) set({ target: v.target }, v.secondsToExhaustion);
  });
  const gpuGauge = (name: string, help: string, pick: (g: GpuReading) => number | undefined): void => {
    gauge(name, help, ['gpu'], (set) => {
      for (const g of read().gpu.gpus) {
        const v = pick(g);
        if (v !== undefined) set({ gpu: g.gpu }, v);
      }
    });
  };
  gpuGauge('vigil_gpu_memory_used_bytes', 'GPU memory in use, bytes.', (g) => g.memoryUsedBytes);
  gpuGauge('vigil_gpu_memory_total_bytes', 'GPU memory in total, bytes.', (g) => g.memoryTotalBytes);
  gpuGauge('vigil_gpu_utilization_ratio', 'GPU utilisation, 0..1.', (g) => g.utilizationRatio);
  gpuGauge('vigil_gpu_temperature_celsius', 'GPU temperature, degrees Celsius.', (g) => g.temperatureCelsius);
  gpuGauge('vigil_gpu_power_watts', 'GPU power draw, watts.', (g) => g.powerWatts);
  // Registered only with a GPU sampler (an unlabelled gauge would always expose a value).
  if (read().gpu.configured) {
    gauge('vigil_gpu_collect_success', '1 when the last GPU sample succeeded and saw at least one GPU, else 0.', [], (set) => {
      set({}, read().gpu.ok ? 1 : 0);
    });
  }
}
