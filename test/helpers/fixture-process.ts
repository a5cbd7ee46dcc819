/**
 * The fixture model server as a separate process (its CLI, contract A), so its event loop and its
 * memory are not the test's: for measuring the generator's own overhead, and for watching a PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.ts';
import type { LlmRecord } from '../../fixtures/servers/index.ts';

/** The server's own record (`GET /__fixture/stats`), the fields tests read. */
export interface FixtureStats {
  requests: number;
  completed: number;
  leakedBytes: number;
  serviceTimesMs: number[];
  residenceTimesMs: number[];
}

export interface FixtureProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  stats(): Promise<FixtureStats>;
  configure(patch: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** Spawns `fixtures/servers/model-server.ts --port 0 ARGS` and waits for its `listening URL` line. */
export function spawnFixtureServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<FixtureProcess> {
  return spawnServerProcess('model-server.ts', args, env);
}

/** The fixture LLM server's own records (`GET /__fixture/stats?since=N`), the fields tests read. */
export interface LlmStats { requests: number; completed: number; records: LlmRecord[] }

/** Spawns `fixtures/servers/llm-server.ts --port 0 ARGS`; `stats(since)` returns the records from index `since` on. */
export async function spawnLlmServer(args: string[]): Promise<Omit<FixtureProcess, 'stats'> & { stats(since?: number): Promise<LlmStats> }> {
  const p = await spawnServerProcess('llm-server.ts', args, {});
  return { ...p, stats: async (since = 0) => (await (await fetch(`${p.url}/__fixture/stats?since=${since}`)).json()) as LlmStats };
}

async function spawnServerProcess(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<FixtureProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'fixtures', 'servers', script), '--port', '0', ...args], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const m = /^listening (http:\/\/\S+)$/.exec(line.trim());
      if (m) resolve(m[1] as string);
      else reject(new Error(`unexpected first line from the fixture server: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`fixture server exited with ${code} before listening`)));
  });
  return {
    url,
    pid: child.pid as number,
    child,
    async stats() {
      return (await (await fetch(`${url}/__fixture/stats`)).json()) as FixtureStats;
    },
    async configure(patch) {
      const res = await fetch(`${url}/__fixture/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
      if (!res.ok) throw new Error(`fixture config failed: ${res.status} ${await res.text()}`);
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
