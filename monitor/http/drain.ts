import type { Server } from 'node:http';

/** Counts the requests a server is answering, so a shutdown can wait for them. */
export interface InFlight {
  readonly count: number;
  /**
   * Stops accepting connections, waits until no request is in flight or `deadlineMs` has passed,
   * then closes every connection left (idle keep-alive ones, or those still busy at the deadline).
   * Resolves with how many requests were cut off at the deadline.
   */
  drain(deadlineMs: number): Promise<{ abandoned: number }>;
}

/**
 * Tracks in-flight requests from the server's `request` event to the response's `close`.
 * During a drain, answers carry `Connection: close`, so keep-alive clients reconnect elsewhere.
 */
export function trackInFlight(server: Server): InFlight {
  let count = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;
  server.on('request', (_req, res) => {
    count++;
    if (draining && !res.headersSent) res.setHeader('connection', 'close');
    res.once('close', () => {
      count--;
      if (count === 0) onIdle?.();
    });
  });
  return {
    get count() { return count; },
    async drain(deadlineMs) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (count > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadlineMs);
          onIdle = () => { clearTimeout(timer); resolve(); };
        });
      }
      const abandoned = count;
      server.closeAllConnections();
      await closed;
      return { abandoned };
    },
  };
}
