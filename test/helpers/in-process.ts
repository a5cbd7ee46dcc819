import { Writable } from 'node:stream';
import { main } from '../../cli/main.ts';

export interface InProcessRun { code: number; stdout: string; stderr: string }

/**
 * `vigil ARGS` run inside the test process (cli/main.ts with its output captured): no child
 * process and no tsx start-up per command, and the test can read the output while it runs.
 * `output()` is what was written so far; `done` resolves to the exit code.
 */
export function startInProcess(args: readonly string[]): { done: Promise<number>; output: () => { stdout: string; stderr: string } } {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void): Writable => new Writable({ write(chunk: Buffer, _enc, cb) { append(chunk.toString()); cb(); } });
  const done = main(['node', 'vigil', ...args], { stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }) });
  return { done, output: () => ({ stdout, stderr }) };
}

/** Runs `vigil ARGS` in this process to the end; its exit code and everything it printed. */
export async function runInProcess(args: readonly string[]): Promise<InProcessRun> {
  const run = startInProcess(args);
  const code = await run.done;
  return { code, ...run.output() };
}
