import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, spawnVigil } from '../helpers/cli.ts';

/** A real `vigil monitor serve` child process on a free loopback port. */
export interface MonitorProcess {
  url: string;
  hostPort: string;
  /** POST /v1/observations (inputs only). */
  observe(rows: number[][]): Promise<void>;
  /** POST /predict through the monitor's proxy (needs --upstream); returns the upstream's status. */
  predict(rows: number[][]): Promise<number>;
  close(): Promise<void>;
}

export const CLASSIFIER = join(REPO_ROOT, 'fixtures/models/classifier.onnx');
export const REFERENCE = join(REPO_ROOT, 'fixtures/datasets/reference.jsonl');

export function readRows(file: string): number[][] {
  return readFileSync(join(REPO_ROOT, file), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { features: number[] }).features);
}

export async function startMonitorProcess(modelName: string, extra: string[] = []): Promise<MonitorProcess> {
  const child = spawnVigil([
    'monitor', 'serve', '--model', CLASSIFIER, '--model-name', modelName, '--reference', REFERENCE,
    '--port', '0', '--insecure-no-auth', '--no-gpu', '--log-level', 'warn', ...extra,
  ]);
  const url = await listeningUrl(child);
  return {
    url,
    hostPort: new URL(url).host,
    async observe(rows) {
      const res = await fetch(`${url}/v1/observations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: rows }) });
      if (res.status !== 200) throw new Error(`POST /v1/observations: ${res.status} ${await res.text()}`);
    },
    async predict(rows) {
      const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: rows }) });
      await res.arrayBuffer();
      return res.status;
    },
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(kill); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}

/** The monitor prints `listening http://127.0.0.1:PORT` once it serves. */
function listeningUrl(child: ChildProcess, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`monitor did not start in ${timeoutMs} ms: ${err}`)); }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1] as string); }
    });
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`monitor exited with ${code}: ${err}`)); });
  });
}
