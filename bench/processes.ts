/**
 * What the monitor benchmarks share: the fixture paths and the child processes they start (fixture
 * servers, `vigil monitor serve`, the bare forwarder) — started, read for their address, stopped,
 * and measured for CPU.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const MODEL = join(ROOT, 'fixtures/models/classifier.onnx');
export const DATA = join(ROOT, 'fixtures/datasets');
const TICKS = 100; // USER_HZ of /proc/PID/stat on Linux

export interface Listening { url: string; child: ChildProcess }

/** Starts `node ARGS` and resolves with the URL it prints as `listening http://…`. */
export async function spawnListening(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Listening> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  const stdout = child.stdout as NodeJS.ReadableStream;
  const lines = createInterface({ input: stdout });
  for await (const line of lines) {
    const m = /listening (http:\/\/\S+)/.exec(line);
    if (m) {
      // Leaving the loop pauses stdout: keep draining it, or a child that writes more would block on a full pipe.
      stdout.resume();
      return { url: m[1] as string, child };
    }
  }
  throw new Error(`${args.join(' ')} exited before listening`);
}

/** One of the fixture model servers (fixtures/servers/NAME.ts) serving classifier.onnx. */
export const startFixtureServer = (name: 'model-server' | 'v2-server', extra: string[] = []): Promise<Listening> =>
  spawnListening(['--import', 'tsx', `fixtures/servers/${name}.ts`, '--port', '0', '--model', MODEL, ...extra]);

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
}

/**
 * `vigil monitor serve --port 0 --log-level warn ARGS`, from the compiled build (bin/vigil.js: what
 * users run) unless `dev` (the TypeScript sources through tsx). Refuses a build older than the sources,
 * which would measure yesterday's code.
 */
export function startMonitor(args: string[], options: { dev?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Listening> {
  if (!options.dev) assertBuilt();
  return spawnListening([options.dev ? 'bin/vigil-dev.js' : 'bin/vigil.js', 'monitor', 'serve', '--port', '0', '--log-level', 'warn', ...args], options.env);
}

function assertBuilt(): void {
  const built = (() => { try { return statSync(join(ROOT, 'dist/cli/main.js')).mtimeMs; } catch { return 0; } })();
  const newest = (dir: string): number => readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .reduce((m, f) => Math.max(m, statSync(join(ROOT, dir, f)).mtimeMs), 0);
  const source = Math.max(...['monitor', 'common', 'cli'].map(newest));
  if (source > built) throw new Error('dist/ is older than the TypeScript sources: run `npm run build` first (the monitor benchmarks run the compiled bin/vigil.js)');
}

/**
 * Waits until a process has gone quiet (under 10 % of a core for two half-second polls, at most
 * `maxS`): a monitor calibrates its online detector and warms its model right after start, which
 * would otherwise land in — and on the neighbours of — the first measured run. Resolves with the seconds waited.
 */
export async function settle(pid: number, maxS = 120): Promise<number> {
  const t0 = performance.now();
  let last = cpuSeconds(pid);
  let quiet = 0;
  while (quiet < 2 && performance.now() - t0 < maxS * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuSeconds(pid);
    quiet = now - last < 0.05 ? quiet + 1 : 0;
    last = now;
  }
  return (performance.now() - t0) / 1000;
}
