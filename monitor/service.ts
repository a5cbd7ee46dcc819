import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createMonitorApp } from './http/app.ts';
import { loadTokens } from './http/auth.ts';
import type { MonitorConfig } from './config.ts';
import { MonitorEngine } from './engine.ts';
import { monitorErrors } from './errors.ts';
import { EvaluationClient } from './evaluation/client.ts';
import { createResourceWatcher } from './resources.ts';
import type { Watcher } from './watch/index.ts';
import { createLogger } from './logger.ts';
import { createMonitorMetrics, type MonitorMetrics } from './metrics.ts';
import type { ReferenceModel } from './model.ts';
import { loadModel } from './model-loader.ts';
import { createProxy } from './http/proxy.ts';
import { redactUrls } from './http/redact.ts';
import { createMonitorServer, isMonitorRoute } from './http/server.ts';
import { readReferenceSet } from './state/reference-set.ts';

export interface StartOptions {
  /** Where tokens come from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Registry for the monitor's series (default: a new one — never prom-client's global registry). */
  registry?: Registry;
  logger?: Logger;
  /** Replaces the ONNX loader (tests of the service without a model file). */
  model?: ReferenceModel;
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
  close(): Promise<void>;
}

/**
 * Starts `vigil monitor serve` from a validated config: tokens (refuses to start without any
 * unless insecureNoAuth), the reference model (SHA-256 checked), the reference set and its
 * reference outputs, the evaluation worker, the express app. Resolves once listening.
 */
export async function startMonitor(config: MonitorConfig, opts: StartOptions = {}): Promise<MonitorService> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const tokenStore = loadTokens(opts.env ?? process.env, config.tokensFile);
  if (tokenStore.size === 0 && !config.insecureNoAuth) throw monitorErrors.VIGIL_MONITOR_NO_TOKENS();
  if (tokenStore.size === 0) logger.warn('no bearer token configured and --insecure-no-auth given: every endpoint is open to anyone who can reach this port');
  const tokens = tokenStore.size > 0 ? tokenStore : undefined;

  const reference = readReferenceSet(config.reference);
  const model = opts.model ?? (config.model
    ? await loadModel(config.model, { expectedSha256: config.modelSha256, outputName: config.modelOutput, batching: config.batching, features: reference.features, referenceSource: config.reference })
    : undefined);
  if (model && model.inputDim !== reference.features.length) {
    throw monitorErrors.VIGIL_MONITOR_REFERENCE_INVALID({ file: config.reference, reason: `rows have ${reference.features.length} features; the model ${model.path} takes ${model.inputDim}` });
  }
  if (model) logger.info({ path: model.path, sha256: model.sha256, inputShape: model.inputShape, outputShape: model.outputShape, outputName: model.outputName, adaptations: model.plan?.adaptations ?? [], loadTimeMs: model.loadTimeMs }, 'reference model loaded');

  const registry = opts.registry ?? new Registry();
  const metrics = createMonitorMetrics(registry, config.modelLabel);
  const evaluator = new EvaluationClient();
  const engine = await MonitorEngine.create({ config, metrics, evaluator, logger, ...(model ? { model } : {}) }, reference);
  logger.info({ source: reference.source, rows: reference.inputs.rows, features: reference.features.length }, 'reference set loaded');

  const watcher = createResourceWatcher(config, registry);
  const proxy = config.upstream ? createProxy(config, engine, metrics, logger, isMonitorRoute) : undefined;
  const app = createMonitorApp({ config, registry, metrics, engine, logger, tokens, ...(model ? { model } : {}), ...(watcher ? { watcher } : {}) });

  const server: Server = createMonitorServer(app, proxy);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, upstream: config.upstream ? redactUrls(config.upstream) : null, protocol: config.upstream ? config.proxy.protocol : null, window: config.window }, 'monitor listening');

  return {
    url, port, config, engine, registry, metrics, model, evaluator, watcher,
    async close() {
      engine.close();
      await watcher?.stop();
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      await proxy?.close();
      await evaluator.close();
      await model?.close?.();
    },
  };
}
