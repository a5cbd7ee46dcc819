import { Writable } from 'node:stream';
import { main } from '../../cli/main.ts';

/** Runs the CLI's `main` in this process (no child, no tsx start-up) and collects its exit code and output. */
export async function vigilInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void): Writable => new Writable({ write(chunk: Buffer, _enc, cb) { append(chunk.toString()); cb(); } });
  const code = await main(['node', 'vigil', ...args], { stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }) });
  return { code, stdout, stderr };
}
