import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ScenarioState } from './state.ts';

/** `/metrics` (the registry passed in) and `/healthz` (scenarios, running, last and next runs) of `vigil schedule`. */
export async function startScheduleServer(opts: { host: string; port: number; registry: Registry; states: () => readonly ScenarioState[] }): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const startedAt = Date.now();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      opts.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': opts.registry.contentType });
        res.end(text);
      }, (err: Error) => { res.writeHead(500); res.end(err.message); });
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      const body = JSON.stringify({
        status: 'ok', uptimeS: (Date.now() - startedAt) / 1000,
        scenarios: opts.states().map((s) => ({
          name: s.name, model: s.model, cron: s.cron, running: s.running, nextRun: s.nextRun?.toISOString() ?? null, runs: s.runs, skipped: s.skipped,
          capacity: s.capacity ? { maxSustainableQps: s.capacity.maxSustainableQps, aborted: s.capacity.aborted, endedAt: new Date(s.capacity.endedAtS * 1000).toISOString(), file: s.capacity.file } : null,
          last: s.last ? { passed: s.last.passed, regressed: s.last.regressed, aborted: s.last.aborted, endedAt: new Date(s.last.endedAtS * 1000).toISOString(), file: s.last.file } : null,
        })),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statusCode: 404, error: 'Not Found', message: `no route ${req.method} ${path}` }));
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(opts.port, opts.host, () => resolve()); });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}`,
    server,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
