import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI from its TypeScript sources (tsx): tests see every edit without a rebuild. The compiled
 * entry (bin/vigil.js → dist/) is tested as installed, by test/package/install.test.ts. */
export const VIGIL_BIN = join(REPO_ROOT, 'bin', 'vigil-dev.js');

export interface CliRun { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs the real `vigil` binary and collects its output. */
export function runVigil(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  const child = spawnVigil(args, opts);
  return collectRun(child, opts.timeoutMs ?? 120_000);
}

/** Starts the real `vigil` binary without waiting (for signal tests and servers). */
export function spawnVigil(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [VIGIL_BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, FORCE_COLOR: '0', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function collectRun(child: ChildProcess, timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`vigil did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`)); }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/** A per-test output folder under test-output/ (kept after the run for screenshots and reports). */
export function testOutputDir(name: string): string {
  const dir = join(REPO_ROOT, 'test-output', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
