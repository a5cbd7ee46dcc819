import type { Registry } from 'prom-client';
import type { MonitorConfig } from './config.ts';
import { createWatcher, type TargetSpec, type Watcher } from './watch/index.ts';
import { onPath } from '../common/on-path.ts';

/**
 * The leak/resource watcher of monitor/watch, sampling this process (and the configured PIDs,
 * metrics URLs, GPUs) with its series registered on the monitor's registry, `model` label added.
 * Undefined when disabled.
 */
export function createResourceWatcher(config: MonitorConfig, registry: Registry): Watcher | undefined {
  const w = config.watch;
  if (!w.enabled) return undefined;
  const targets: TargetSpec[] = [
    { kind: 'self' },
    ...w.pids.map((pid) => ({ kind: 'pid' as const, pid })),
    ...w.metricsUrls.map((url) => ({ kind: 'metrics-url' as const, url })),
    ...(w.gpu === true || (w.gpu === 'auto' && onPath('nvidia-smi')) ? [{ kind: 'nvidia-smi' as const }] : []),
  ];
  const watcher = createWatcher({
    registry, targets, sampleIntervalMs: w.sampleInterval, windowMs: Math.max(w.window, 3 * w.sampleInterval),
    ...(w.memoryLimit !== undefined ? { memoryLimitBytes: w.memoryLimit } : {}),
    labels: { model: config.modelLabel },
  });
  watcher.start();
  return watcher;
}

/** The GPU and memory part of GET /v1/status, from the watcher's last round. */
export function resourceStatus(watcher: Watcher | undefined) {
  if (!watcher) return { gpu: { visible: null, reason: 'watcher disabled (watch.enabled: false)' }, watched: [] };
  const snap = watcher.snapshot();
  return {
    gpu: snap.gpu.configured
      ? { visible: snap.gpu.ok && snap.gpu.gpus.length > 0, devices: snap.gpu.gpus, ...(snap.gpu.error ? { error: snap.gpu.error } : {}) }
      : { visible: null, reason: 'GPU sampling off (watch.gpu: false, or auto without nvidia-smi on PATH)' },
    watched: snap.verdicts.map((v) => ({ target: v.target, kind: v.kind, latestBytes: v.latestBytes, slopeBytesPerSecond: v.slopeBytesPerSecond, pValue: v.pValue, leakSuspected: v.leakSuspected, secondsToExhaustion: v.secondsToExhaustion, samples: v.samples })),
  };
}
