import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createMonitorApp } from './http/app.ts';
import { loadTokens } from './http/auth.ts';
import type { MonitorConfig } from './config.ts';
import { MonitorEngine } from './engine.ts';
import { monitorErrors } from './errors.ts';
import { isVigilError, type VigilError } from '../common/errors.ts';
import { trackInFlight } from './http/drain.ts';
import { oneLine } from './one-line.ts';
import { estimateMemoryBytes } from './state/memory-budget.ts';
import { StateStore } from './state/store.ts';
import { EvaluationClient } from './evaluation/client.ts';
import { createResourceWatcher } from './resources.ts';
import type { Watcher } from './watch/index.ts';
import { createLogger } from './logger.ts';
import { createMonitorMetrics, type MonitorMetrics } from './metrics.ts';
import { createHealthMetrics } from './metrics-health.ts';
import type { ReferenceModel } from './model.ts';
import { loadModel } from './model-loader.ts';
import { createProxy } from './http/proxy.ts';
import { redactUrls } from './http/redact.ts';
import { createMonitorServer, isMonitorRoute } from './http/server.ts';
import { featureTypes, readReferenceSet } from './state/reference-set.ts';

export interface StartOptions {
  /** Where tokens come from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Registry for the monitor's series (default: a new one — never prom-client's global registry). */
  registry?: Registry;
  logger?: Logger;
  /** Replaces the ONNX loader (tests of the service without a model file). */
  model?: ReferenceModel;
  /** Replaces the evaluation worker's client (tests of a failing evaluator). */
  evaluator?: EvaluationClient;
}

export interface MonitorService {
  url: string;
  port: number;
  config: MonitorConfig;
  engine: MonitorEngine;
  registry: Registry;
  metrics: MonitorMetrics;
  model: ReferenceModel | undefined;
  evaluator: EvaluationClient;
  watcher: Watcher | undefined;
  /** Requests being answered right now. */
  readonly inFlight: number;
  /** Drains in-flight requests (up to `drainTimeout`), then stops everything. */
  close(): Promise<void>;
}

/**
 * Starts `vigil monitor serve` from a validated config: tokens (refuses to start without any
 * unless insecureNoAuth), the reference model (SHA-256 checked), the reference set and its
 * reference outputs, the evaluation worker, the express app. Resolves once listening.
 * Any failure on the way releases what was already started and rejects with a coded error
 * (startupError), so the process can exit at once instead of hanging on a worker or a timer.
 */
export async function startMonitor(config: MonitorConfig, opts: StartOptions = {}): Promise<MonitorService> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const started: Cleanup[] = [];
  try {
    return await start(config, opts, logger, started);
  } catch (err) {
    for (const release of started.reverse()) await Promise.resolve().then(release).catch(() => undefined);
    throw startupError(err, config, logger);
  }
}

type Cleanup = () => unknown;

async function start(config: MonitorConfig, opts: StartOptions, logger: Logger, started: Cleanup[]): Promise<MonitorService> {
  const tokenStore = loadTokens(opts.env ?? process.env, config.tokensFile);
  if (tokenStore.size === 0 && !config.insecureNoAuth) throw monitorErrors.VIGIL_MONITOR_NO_TOKENS();
  if (tokenStore.size === 0) logger.warn('no bearer token configured and --insecure-no-auth given: every endpoint is open to anyone who can reach this port');
  const tokens = tokenStore.size > 0 ? tokenStore : undefined;

  const reference = readReferenceSet(config.reference, featureTypes(config.features));
  // Live vocabularies shared by the engine (which codes values) and the model (which decodes them).
  const vocabularies = reference.vocabularies ? Object.fromEntries(Object.entries(reference.vocabularies).map(([k, v]) => [k, [...v]])) : undefined;
  const model = opts.model ?? (config.model
    ? await loadModel(config.model, { expectedSha256: config.modelSha256, outputName: config.modelOutput, batching: config.batching, features: reference.features, referenceSource: config.reference, vocabularies })
    : undefined);
  if (model) started.push(() => model.close?.());
  if (model && model.inputDim !== reference.features.length) {
    throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: config.reference, reason: `rows have ${reference.features.length} features; the model ${model.path} takes ${model.inputDim}` });
  }
  checkMemoryBudget(config, reference.features.length, model?.outputDim ?? 0, reference.inputs.rows, logger);
  if (model) logger.info({ path: model.path, sha256: model.sha256, inputShape: model.inputShape, outputShape: model.outputShape, outputName: model.outputName, adaptations: model.plan?.adaptations ?? [], loadTimeMs: model.loadTimeMs }, 'reference model loaded');

  const registry = opts.registry ?? new Registry();
  const metrics = createMonitorMetrics(registry, config.modelLabel);
  const evaluator = opts.evaluator ?? new EvaluationClient();
  started.push(() => evaluator.close());
  const engine = await MonitorEngine.create({ config, metrics, evaluator, logger, ...(model ? { model } : {}), ...(vocabularies ? { vocabularies } : {}) }, reference);
  started.push(() => engine.close());
  const store = config.stateDir ? await resumeState(config, engine, model, logger) : undefined;
  if (store) started.push(() => store.close());
  const health = createHealthMetrics(registry, config.modelLabel, engine.health);
  engine.on('evaluationFailed', () => health.evaluationError());
  logger.info({ source: reference.source, rows: reference.inputs.rows, features: reference.features.length }, 'reference set loaded');

  const watcher = createResourceWatcher(config, registry);
  if (watcher) started.push(() => watcher.stop());
  const proxy = config.upstream ? createProxy(config, engine, metrics, logger, isMonitorRoute) : undefined;
  if (proxy) started.push(() => proxy.close());
  const app = createMonitorApp({ config, registry, metrics, engine, logger, tokens, ...(model ? { model } : {}), ...(watcher ? { watcher } : {}) });

  const server: Server = createMonitorServer(app, proxy);
  await listen(server, config);
  const inFlight = trackInFlight(server);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, upstream: config.upstream ? redactUrls(config.upstream) : null, protocol: config.upstream ? config.proxy.protocol : null, window: config.window }, 'monitor listening');

  return {
    url, port, config, engine, registry, metrics, model, evaluator, watcher,
    get inFlight() { return inFlight.count; },
    async close() {
      // Stop accepting, let in-flight (proxied) requests finish up to the deadline, then stop the rest.
      const { abandoned } = await inFlight.drain(config.drainTimeout);
      if (abandoned > 0) logger.warn({ abandoned, drainTimeoutMs: config.drainTimeout }, 'requests still in flight at the drain deadline were closed');
      engine.close();
      store?.close(); // a last snapshot: nothing is lost on a clean stop
      await watcher?.stop();
      await proxy?.close();
      await evaluator.close();
      await model?.close?.();
    },
  };
}

/** `--state-dir`: resumes the windows, history and reference in force, then journals every change. */
async function resumeState(config: MonitorConfig, engine: MonitorEngine, model: ReferenceModel | undefined, logger: Logger): Promise<StateStore> {
  const dir = config.stateDir as string;
  const { enabled, ert, window, step, simulations } = config.drift.online;
  const online = { enabled, ert, window, step, simulations, seed: config.drift.seed };
  const identity = { features: [...engine.reference.features], window: config.window, windowDuration: config.windowDuration ?? null, outputDim: model?.outputDim ?? 0, modelSha256: model?.sha256 ?? null, online };
  const started = performance.now();
  const saved = StateStore.read(dir, identity);
  await engine.restoreState(saved.snapshot, saved.journal);
  const store = StateStore.open(dir, identity, { lastSeq: saved.lastSeq, fsyncMs: config.stateFsyncInterval, snapshotMs: config.stateSnapshotInterval }, () => engine.exportState(), logger);
  engine.attachState(store);
  logger.info({ dir, resumed: saved.snapshot !== undefined || saved.journal.length > 0, windowSamples: engine.windowSize, evaluations: engine.history.length, reference: engine.reference.source, journalRecords: saved.journal.length, ms: Math.round(performance.now() - started) }, 'state directory opened');
  return store;
}

/** Window × features (and MMD's blocks) against --max-memory, before anything is allocated. */
function checkMemoryBudget(config: MonitorConfig, features: number, outputDim: number, referenceRows: number, logger: Logger): void {
  const shape = { window: config.window, features, outputDim, referenceRows, mmdMaxSamples: config.drift.mmdMaxSamples };
  const need = estimateMemoryBytes(shape);
  logger.info({ ...shape, estimatedBytes: need, maxMemory: config.maxMemory ?? null }, 'memory estimate for a full window');
  if (config.maxMemory !== undefined && need > config.maxMemory) {
    throw monitorErrors.VIGIL_MONITOR_MEMORY_BUDGET({ ...shape, needMiB: Math.ceil(need / 2 ** 20), maxMiB: Math.floor(config.maxMemory / 2 ** 20) });
  }
}

function listen(server: Server, config: MonitorConfig): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => { server.off('error', reject); resolve(); });
  });
}

/** A start-up failure as a coded error: known causes named, anything else one line (stack to the log). */
function startupError(err: unknown, config: MonitorConfig, logger: Logger): VigilError {
  if (isVigilError(err)) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return monitorErrors.VIGIL_MONITOR_PORT_IN_USE({ host: config.host, port: config.port });
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return monitorErrors.VIGIL_MONITOR_LISTEN_FAILED({ host: config.host, port: config.port, reason: code });
  logger.error({ err: (err as Error)?.stack ?? String(err) }, 'start-up failed');
  return monitorErrors.VIGIL_MONITOR_START_FAILED({ reason: oneLine(err) });
}
