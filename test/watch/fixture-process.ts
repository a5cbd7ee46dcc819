import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';

export interface FixtureProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The server's own record: requests received and bytes it retained on purpose. */
  stats(): Promise<{ requests: number; leakedBytes: number }>;
  close(): Promise<void>;
}

/** Spawns the fixture model server CLI (contract A) and waits for its `listening URL` line. */
export function spawnFixtureServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<FixtureProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'fixtures/servers/model-server.ts'), '--port', '0', ...args], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    child.once('exit', (code) => reject(new Error(`fixture server exited with ${code} before listening`)));
    lines.once('line', (line) => {
      const m = /^listening (http:\/\/\S+)$/.exec(line.trim());
      if (!m) { reject(new Error(`unexpected first line: ${line}`)); return; }
      const url = m[1] as string;
      resolve({
        url,
        pid: child.pid as number,
        child,
        stats: async () => {
          const s = await (await fetch(`${url}/__fixture/stats`)).json() as { requests: number; leakedBytes: number };
          return { requests: s.requests, leakedBytes: s.leakedBytes };
        },
        close: () => new Promise<void>((done) => {
          if (child.exitCode !== null) { done(); return; }
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}
