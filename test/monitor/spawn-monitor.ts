import type { ChildProcess } from 'node:child_process';
import { collectRun, spawnVigil } from '../helpers/cli.ts';
import { TOKEN_ENV } from './helpers.ts';

/** `vigil <args>` as a real process (test tokens in its environment); `url` once it listens. */
export function spawnMonitor(args: string[]): { child: ChildProcess; url: Promise<string>; done: ReturnType<typeof collectRun> } {
  const child = spawnVigil(args, { env: TOKEN_ENV });
  const done = collectRun(child, 120_000);
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); const m = /listening (http:\/\/\S+)/.exec(out); if (m) resolve(m[1] as string); });
    child.once('exit', (code) => reject(new Error(`monitor exited with ${code}`)));
  });
  return { child, url, done };
}
