import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** A real `prometheus` on loopback, in a temp dir, for end-to-end tests. */
export interface PrometheusServer {
  url: string;
  /** GET an HTTP API path (`/api/v1/query?query=...`), returning the parsed `data` (throws on status error). */
  api<T>(path: string): Promise<T>;
  /** The raw JSON answer of an API call, errors included. */
  raw(path: string): Promise<{ status: string; data?: unknown; error?: string; errorType?: string }>;
  close(): Promise<void>;
}

export interface PrometheusOptions {
  targets: { job: string; hostPort: string }[];
  ruleFiles: string[];
  scrapeInterval?: string;
  evaluationInterval?: string;
}

/** A free TCP port on 127.0.0.1 (Prometheus takes an address, not port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPrometheus(opts: PrometheusOptions): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
  const config = {
    global: { scrape_interval: opts.scrapeInterval ?? '1s', evaluation_interval: opts.evaluationInterval ?? '1s', scrape_timeout: '1s' },
    rule_files: opts.ruleFiles,
    scrape_configs: [...new Set(opts.targets.map((t) => t.job))].map((job) => ({
      job_name: job,
      static_configs: [{ targets: opts.targets.filter((t) => t.job === job).map((t) => t.hostPort) }],
    })),
  };
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  const child = spawn('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=info',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(child);
  } catch (err) {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const raw = async (path: string) => (await (await fetch(`${url}${path}`)).json()) as { status: string; data?: unknown; error?: string; errorType?: string };
  return {
    url,
    raw,
    async api<T>(path: string): Promise<T> {
      const body = await raw(path);
      if (body.status !== 'success') throw new Error(`${path}: ${body.errorType}: ${body.error}`);
      return body.data as T;
    },
    async close() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Prometheus logs "Server is ready to receive web requests." once the web API is up. */
function waitForReady(child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`prometheus not ready after ${timeoutMs} ms:\n${log}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server is ready to receive web requests.')) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`prometheus exited with ${code}:\n${log}`)); });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
