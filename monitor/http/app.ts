import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { chartJsSource } from '../../common/html.ts';
import type { TokenStore } from './auth.ts';
import { windowDescription, type MonitorConfig } from '../config.ts';
import type { MonitorEngine } from '../engine.ts';
import { monitorErrors } from '../errors.ts';
import type { Watcher } from '../watch/index.ts';
import { errorHandler, requireJson, requireRole, sendError } from './replies.ts';
import type { MonitorMetrics } from '../metrics.ts';
import type { ReferenceModel } from '../model.ts';
import { parseObservations } from '../protocols/json.ts';
import { livePage } from './page.ts';
import { parseReferenceRows, typesOf } from '../state/reference-set.ts';
import { buildStatus, readiness } from './status.ts';
import { CloudEventsSource, readCloudEvent } from './cloudevents.ts';

export interface AppDeps {
  config: MonitorConfig;
  registry: Registry;
  metrics: MonitorMetrics;
  engine: MonitorEngine;
  logger: Logger;
  /** undefined = --insecure-no-auth. */
  tokens: TokenStore | undefined;
  model?: ReferenceModel;
  /** The resource/leak watcher (memory, GPUs), when enabled. */
  watcher?: Watcher;
}

/**
 * The monitor's express app. Routes and the role each needs:
 * open: GET /healthz, /readyz, / (page shell), /assets/chart.js (the proxied routes never reach this
 * app: server.ts hands them to proxy.ts); /metrics open unless `metricsAuth`;
 * viewer: GET /v1/status, /v1/drift, /v1/traffic; ingest: POST /v1/observations, POST /v1/cloudevents;
 * admin: PUT /v1/reference, POST /v1/reset.
 */
export function createMonitorApp(deps: AppDeps): Express {
  const { config, registry, engine, logger, tokens, model } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const viewer = requireRole(tokens, 'viewer');
  const ingest = requireRole(tokens, 'ingest');
  const admin = requireRole(tokens, 'admin');
  const json = express.json({ limit: config.bodyLimit, strict: true, type: () => true });
  const label = config.modelLabel;

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok', uptimeSeconds: (Date.now() - engine.startedAt) / 1000 }); });
  app.get('/readyz', (_req, res) => { res.status(readiness(config, engine, model).ready ? 200 : 503).json(readiness(config, engine, model)); });
  app.get('/metrics', ...(config.metricsAuth ? [viewer] : []), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  app.get('/', (_req, res) => { res.type('html').send(livePage({ model: label, authRequired: tokens !== undefined })); });
  // chart.js from node_modules (read once, kept in memory); no CDN.
  app.get('/favicon.ico', (_req, res) => { res.status(204).end(); });
  app.get('/assets/chart.js', (_req, res) => { res.type('application/javascript').set('cache-control', 'public, max-age=3600').send(chartJsSource()); });

  app.get('/v1/status', viewer, (_req, res) => { res.json(buildStatus(config, engine, model, deps.watcher)); });
  app.get('/v1/drift', viewer, (req, res) => {
    const limit = Math.max(1, Math.min(config.history, Number.parseInt(String(req.query.limit ?? config.history), 10) || config.history));
    res.json({ model: label, alpha: config.drift.alpha, window: windowDescription(config), online: engine.online ?? null, evaluations: engine.history.slice(-limit) });
  });
  app.get('/v1/traffic', viewer, (_req, res) => { res.json({ model: label, mode: config.upstream ? 'proxy' : 'ingest', points: engine.traffic.points() }); });

  app.post('/v1/observations', ingest, requireJson, json, async (req, res) => {
    let obs;
    try {
      obs = parseObservations(req.body, engine.shape);
    } catch (err) {
      engine.noteRejected((err as { code?: string }).code ?? 'unknown', 'api');
      throw err;
    }
    res.json(await engine.observe(obs, 'api'));
  });

  const cloudEvents = new CloudEventsSource(engine, logger, {
    ...(config.proxy.inputTensor !== undefined ? { inputTensor: config.proxy.inputTensor } : {}),
    ...(config.proxy.outputTensor !== undefined ? { outputTensor: config.proxy.outputTensor } : {}),
  });
  app.post('/v1/cloudevents', ingest, express.raw({ type: () => true, limit: config.bodyLimit }), (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const event = readCloudEvent(req.headers, body);
    res.status(202).json({ accepted: event.kind, ...cloudEvents.accept(event) });
  });

  app.put('/v1/reference', admin, requireJson, json, async (req, res) => {
    const body = req.body as unknown;
    const rows = Array.isArray(body) ? body : (body as { inputs?: unknown })?.inputs;
    if (!Array.isArray(rows)) return sendError(res, monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: 'inputs', rule: 'must be an array of reference rows (arrays, {"features": [...]} or objects keyed by feature name)' }));
    let reference;
    try {
      reference = parseReferenceRows(rows, 'PUT /v1/reference', engine.reference.features, typesOf(engine.reference), engine.reference.vocabularies);
    } catch (err) {
      // Same rule as the file at start, but a client error here.
      return sendError(res, monitorErrors.VIGIL_MONITOR_BAD_BODY({ path: 'inputs', rule: (err as Error).message }));
    }
    await engine.setReference(reference);
    logger.info({ rows: reference.inputs.rows }, 'reference set replaced');
    res.json({ replaced: true, rows: reference.inputs.rows, features: reference.features });
  });

  app.post('/v1/reset', admin, (_req, res) => {
    engine.reset();
    logger.info('windows reset');
    res.json({ reset: true });
  });

  app.use((req, res) => { sendError(res, monitorErrors.VIGIL_MONITOR_NOT_FOUND({ method: req.method, path: req.path })); });
  app.use(errorHandler(logger, config.bodyLimit));
  return app;
}
