// Leak watcher benchmark: CPU per sample of each sampler, and the trend statistics on a
// 3,600-point window (fast paths and the watcher's downsampled trend vs the naive O(n²) methods).
// Run: npm run bench:watch. Peers measured in the same run; the machine may be shared.
import { createServer } from 'node:http';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Registry, collectDefaultMetrics } from 'prom-client';
import {
  selfSampler, pidSampler, prometheusSampler, nvidiaSmiSampler, dcgmSampler, analyzeTrend,
  theilSen, mannKendall, theilSenNaive, mannKendallNaive, type Sampler,
} from '../monitor/watch/index.ts';
import { REPO_ROOT } from '../test/helpers/cli.ts';

const signal = new AbortController().signal;

interface Cost { cpuUs: number; wallMs: number }

async function perCall(n: number, fn: () => Promise<unknown> | unknown): Promise<Cost> {
  for (let i = 0; i < Math.min(5, n); i++) await fn();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const wallMs = (performance.now() - t0) / n;
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / n, wallMs };
}

async function samplers(): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const dcgmText = readFileSync(join(REPO_ROOT, 'fixtures/gpu/dcgm-exporter.txt'), 'utf8');
  const server = createServer((req, res) => {
    if (req.url === '/dcgm') { res.end(dcgmText); return; }
    void registry.metrics().then((t) => res.end(t));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fakePath = `${join(REPO_ROOT, 'fixtures/gpu')}:${process.env.PATH ?? ''}`;
  const small = spawn('sleep', ['600'], { stdio: 'ignore' });
  const rows: [string, Sampler, number][] = [
    ['self (process.memoryUsage)', selfSampler(), 2000],
    ['pid: this node process (/proc status + smaps_rollup)', pidSampler(process.pid), 1000],
    ['pid: a small process (`sleep`)', pidSampler(small.pid as number), 2000],
    ['metrics-url (HTTP + parse, prom-client default metrics)', prometheusSampler(`${base}/metrics`), 300],
    ['dcgm-exporter (HTTP + parse, 2 GPUs)', dcgmSampler(`${base}/dcgm`), 300],
    ['nvidia-smi (spawn of the fake script)', nvidiaSmiSampler({ env: { ...process.env, PATH: fakePath } }), 50],
  ];
  console.log('\nCPU per sample (this process; the nvidia-smi child is not counted):');
  console.log('sampler'.padEnd(58), 'CPU µs/sample'.padStart(14), 'wall ms/sample'.padStart(15));
  for (const [name, s, n] of rows) {
    const c = await perCall(n, () => s.sample(signal));
    console.log(name.padEnd(58), c.cpuUs.toFixed(0).padStart(14), c.wallMs.toFixed(3).padStart(15));
  }
  // Peer: what a shell loop does to read the RSS of a PID.
  const ps = await perCall(50, () => execFileSync('ps', ['-o', 'rss=', '-p', String(process.pid)]));
  const pid = await perCall(500, () => pidSampler(process.pid).sample(signal));
  console.log('peer: `ps -o rss= -p PID`'.padEnd(58), ps.cpuUs.toFixed(0).padStart(14), ps.wallMs.toFixed(3).padStart(15));
  console.log(`ratio wall(ps) / wall(pid sampler): ${(ps.wallMs / pid.wallMs).toFixed(1)}x`);
  small.kill();
  server.closeAllConnections();
  server.close();
}

function statistics(): void {
  const n = 3600;
  let seed = 42;
  const rnd = (): number => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; };
  const t = Float64Array.from({ length: n }, (_, i) => i);
  // One hour at 1 s: a 1 MB/min leak under a 20 MB GC sawtooth, sampled with 0.5 MB noise.
  const y = Float64Array.from(t, (s) => 3e8 + (1e6 / 60) * s + ((s % 45) / 45) * 2e7 + (rnd() - 0.5) * 5e5);
  // Median of per-call times: the machine is shared, and the median shrugs off the stalls.
  const time = (reps: number, fn: () => unknown): number => {
    fn();
    const ms: number[] = [];
    for (let i = 0; i < reps; i++) { const t0 = performance.now(); fn(); ms.push(performance.now() - t0); }
    return ms.sort((a, b) => a - b)[reps >> 1] as number;
  };
  const fast = time(21, () => { theilSen(t, y); mannKendall(y); });
  const trend = time(101, () => analyzeTrend(t, y, { maxPoints: 60 }));
  const naive = time(5, () => { theilSenNaive(t, y); mannKendallNaive(y); });
  const tsFast = theilSen(t, y).slope;
  const tsNaive = theilSenNaive(t, y).slope;
  console.log(`\nTheil–Sen + Mann–Kendall on ${n} points (median ms per call):`);
  console.log(`  exact O(n log n) fast paths (all ${n} points):      ${fast.toFixed(2)}`);
  console.log(`  watcher trend (60 bucket minima, then both tests):  ${trend.toFixed(2)}`);
  console.log(`  naive O(n²) over all ${(n * (n - 1)) / 2} pairs:          ${naive.toFixed(2)}`);
  console.log(`  ratio naive / fast: ${(naive / fast).toFixed(1)}x; naive / watcher trend: ${(naive / trend).toFixed(0)}x`);
  console.log(`  slopes agree: fast ${tsFast.toFixed(4)} vs naive ${tsNaive.toFixed(4)} B/s (relative difference ${(Math.abs(tsFast - tsNaive) / Math.abs(tsNaive)).toExponential(1)})`);
}

console.log(`vigil watch benchmark — node ${process.version}, ${new Date().toISOString()}`);
await samplers();
statistics();
