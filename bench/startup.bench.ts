/**
 * `npm run bench:startup` — start-up of the CLI as a user runs it: wall time of `vigil --version`
 * and `vigil load run --help` through the compiled entry (bin/vigil.js → dist/), beside
 * autocannon's `--version` (the peer) and an empty `node -e ""` (the floor), plus the development
 * entry (bin/vigil-dev.js, tsx) for reference. Rounds alternate between the commands so machine
 * load hits them alike; median (and min/max) of ROUNDS. Needs a build (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ROUNDS = Number(process.env.ROUNDS ?? 5);

const CASES: [string, string[]][] = [
  ['node -e "" (floor)', ['-e', '']],
  ['vigil --version', [join(ROOT, 'bin/vigil.js'), '--version']],
  ['vigil load run --help', [join(ROOT, 'bin/vigil.js'), 'load', 'run', '--help']],
  ['autocannon --version', [join(ROOT, 'node_modules/autocannon/autocannon.js'), '--version']],
  ['vigil-dev --version (tsx, sources)', [join(ROOT, 'bin/vigil-dev.js'), '--version']],
];

if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('no dist/: run `npm run build` first');

// CPU time (user + sys, from GNU time) is the steadier figure on a shared machine; wall time is what a user waits.
const times = new Map<string, number[]>(CASES.map(([name]) => [name, []]));
const cpu = new Map<string, number[]>(CASES.map(([name]) => [name, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, args] of CASES) {
    const t0 = process.hrtime.bigint();
    const p = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (p.status !== 0) throw new Error(`${name} exited ${p.status}: ${p.stderr}`);
    const m = /cpu (\S+) (\S+)\s*$/.exec(p.stderr);
    times.get(name)?.push(ms);
    cpu.get(name)?.push((Number(m?.[1]) + Number(m?.[2])) * 1000);
  }
}
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] as number; };
const s3 = (ms: number): string => (ms / 1000).toFixed(3);
console.log(`| command (${ROUNDS} alternating rounds) | wall median (s) | wall min–max (s) | CPU median (s) |`);
console.log('| --- | --- | --- | --- |');
for (const [name, xs] of times) console.log(`| \`${name}\` | ${s3(median(xs))} | ${s3(Math.min(...xs))}–${s3(Math.max(...xs))} | ${s3(median(cpu.get(name) ?? []))} |`);
