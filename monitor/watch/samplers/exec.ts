import { spawn } from 'node:child_process';

export interface ExecOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Set when the binary could not be started (ENOENT, EACCES). */
  readonly spawnError?: string;
}

const MAX_OUTPUT = 1 << 20;

/**
 * Runs a binary with a hard timeout. The child gets its own process group and the whole group is
 * SIGKILLed on timeout, and we stop waiting at once: a wrapper script's grandchildren (a hung
 * driver call) may keep the pipes open, so waiting for 'close' could hang the watcher.
 */
export function execWithTimeout(bin: string, args: readonly string[], opts: { timeoutMs: number; env?: NodeJS.ProcessEnv; signal?: AbortSignal }): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const child = spawn(bin, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const finish = (outcome: Omit<ExecOutcome, 'stdout' | 'stderr'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ ...outcome, stdout, stderr });
    };
    const kill = (): void => {
      try { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => { kill(); finish({ code: null, timedOut: true }); }, opts.timeoutMs);
    const onAbort = (): void => { kill(); finish({ code: null, timedOut: false, spawnError: 'aborted' }); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => { if (stdout.length < MAX_OUTPUT) stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { if (stderr.length < MAX_OUTPUT) stderr += d.toString(); });
    child.on('error', (err: NodeJS.ErrnoException) => finish({ code: null, timedOut: false, spawnError: err.code ?? err.message }));
    child.on('close', (code) => finish({ code, timedOut: false }));
  });
}
