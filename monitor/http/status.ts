import { windowDescription, type MonitorConfig } from '../config.ts';
import type { MonitorEngine } from '../engine.ts';
import type { Watcher } from '../watch/index.ts';
import { resourceStatus } from '../resources.ts';
import type { ReferenceModel } from '../model.ts';
import { modelPlanStatus } from './model-status.ts';
import { redactUrls } from './redact.ts';

/** `GET /v1/status`: every component, not just "OK". */
export function buildStatus(config: MonitorConfig, engine: MonitorEngine, model: ReferenceModel | undefined, watcher: Watcher | undefined) {
  engine.evictExpired(); // a duration window shows what it holds now, traffic or not
  const last = engine.history[engine.history.length - 1];
  const oldest = engine.oldestAgeSeconds();
  const mem = process.memoryUsage();
  const resources = resourceStatus(watcher);
  const health = engine.health;
  return {
    status: health.failing ? 'degraded' : 'ok',
    /** One line, never a stack (that is in the log). */
    error: health.lastError ?? null,
    verdict: {
      lastEvaluationAt: health.lastEvaluationAtMs === undefined ? null : new Date(health.lastEvaluationAtMs).toISOString(),
      ageSeconds: health.ageSeconds(),
      staleAfterSeconds: config.staleAfter / 1000,
      stale: health.stale(),
      consecutiveFailures: health.consecutiveFailures,
    },
    model: model
      ? { loaded: true, name: config.modelLabel, path: model.path, sha256: model.sha256, inputName: model.inputName, outputName: model.outputName, inputShape: model.inputShape, outputShape: model.outputShape, inputDim: model.inputDim, outputDim: model.outputDim, loadTimeMs: model.loadTimeMs, ...modelPlanStatus(model) }
      : { loaded: false, name: config.modelLabel, reason: 'no --model: input drift only, no parity or output drift' },
    reference: { ready: true, source: engine.reference.source, rows: engine.reference.inputs.rows, features: engine.reference.features, outputsComputed: engine.referenceOutputs !== undefined },
    windows: {
      /** `samples`: the last N samples; `duration`: the samples observed within durationMs (at most maxSamples). */
      ...windowDescription(config),
      ...(config.windowDuration !== undefined ? { oldestAgeSeconds: oldest ?? null } : {}),
      capacity: config.window,
      samples: engine.windowSize,
      fill: engine.windowSize / config.window,
      observedSinceReset: engine.windowPushed,
      evaluateEvery: config.evaluateEvery,
      evaluateIntervalMs: config.evaluateInterval,
      evaluating: engine.evaluating,
      evaluations: engine.history.length,
      lastEvaluation: last ? { seq: last.seq, at: last.at, durationMs: last.durationMs, windowSamples: last.windowSamples, drift: last.drift } : null,
      lastError: engine.lastError ?? null,
    },
    proxy: config.upstream ? proxyStatus(config) : null,
    gpu: resources.gpu,
    memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal, externalBytes: mem.external, arrayBuffersBytes: mem.arrayBuffers, worker: engine.workerMemory ?? null, watched: resources.watched },
    uptimeSeconds: (Date.now() - engine.startedAt) / 1000,
  };
}

/**
 * `GET /readyz`: ready once the model and the reference set are loaded and while evaluations
 * succeed; 503 with the one-line reason while they fail (a monitor that cannot evaluate is not
 * watching, and must not look as if it were).
 */
export function readiness(config: MonitorConfig, engine: MonitorEngine, model: ReferenceModel | undefined) {
  const loaded = engine.reference !== undefined && (config.model === undefined || model !== undefined);
  const failing = engine.health.failing;
  return {
    ready: loaded && !failing,
    model: model ? 'loaded' : config.model ? 'missing' : 'not configured',
    reference: engine.reference ? 'loaded' : 'missing',
    evaluations: failing ? 'failing' : 'ok',
    ...(failing ? { reason: `drift evaluations are failing: ${engine.health.lastError}` } : {}),
  };
}

/** The proxy's settings, credentials in the upstream URL redacted. */
function proxyStatus(config: MonitorConfig) {
  const p = config.proxy;
  const common = { upstream: redactUrls(config.upstream ?? ''), protocol: p.protocol, timeoutMs: config.upstreamTimeout, observeMaxBytes: p.observeMaxBytes };
  if (p.protocol === 'json') return { ...common, route: p.path, inputs: p.inputs, outputs: p.outputs };
  return { ...common, inputTensor: p.inputTensor ?? null, outputTensor: p.outputTensor ?? null };
}
