/**
 * The fixture model server as a separate process (its CLI), so its event loop does not share
 * the test's: used where the generator's own overhead is being measured.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { REPO_ROOT } from '../helpers/cli.ts';

export interface FixtureProcess {
  url: string;
  stats(): Promise<{ completed: number; serviceTimesMs: number[]; residenceTimesMs: number[] }>;
  configure(patch: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function startFixtureProcess(args: string[]): Promise<FixtureProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'fixtures', 'servers', 'model-server.ts'), '--port', '0', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const m = /^listening (http:\/\/\S+)$/.exec(line);
      if (m) resolve(m[1] as string);
      else reject(new Error(`unexpected first line from the fixture server: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`fixture server exited with ${code}`)));
  });
  return {
    url,
    async stats() {
      return (await (await fetch(`${url}/__fixture/stats`)).json()) as { completed: number; serviceTimesMs: number[]; residenceTimesMs: number[] };
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

/** Nearest-rank percentile (what HdrHistogram reports, up to its 0.1 % resolution). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * Whether millisecond-level bounds can be asserted: always in CI (the suite runs alone there);
 * elsewhere only when the machine is not oversubscribed (1-minute load average ≤ core count).
 * On a shared, overloaded machine the scheduler of the OS adds tens of ms to every process, and
 * tests then report their measurements loudly instead of asserting them.
 */
export function strictTiming(): { strict: boolean; why: string } {
  const load = loadavg()[0] ?? 0;
  const cores = cpus().length;
  if (process.env['CI'] === 'true') return { strict: true, why: 'CI' };
  return { strict: load <= cores, why: `load average ${load.toFixed(1)} on ${cores} cores` };
}
