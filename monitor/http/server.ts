import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { Proxy } from './proxy.ts';

/**
 * The monitor's own routes (app.ts). A proxied protocol never takes these over, whatever
 * `--proxy-path` says; any other path the protocol forwards goes to the proxy.
 */
const OWN = /^\/(?:$|healthz$|readyz$|metrics$|favicon\.ico$|assets\/|v1\/(?:status|drift|traffic|observations|reference|reset|cloudevents)$)/;

export function isMonitorRoute(path: string): boolean {
  return OWN.test(path);
}

/**
 * One node:http server: requests the proxy claims go straight to it (no express router, no body
 * parser on the forwarded path); everything else to the express app.
 */
export function createMonitorServer(app: Express, proxy: Proxy | undefined): Server {
  const server = createServer({ noDelay: true }, proxy
    ? (req, res) => { if (proxy.claims(req)) proxy.handle(req, res); else app(req, res); }
    : app);
  server.keepAliveTimeout = 65_000;
  return server;
}
