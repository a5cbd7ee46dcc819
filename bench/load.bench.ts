/**
 * `npm run bench:load`: the load generator against a minimal node:http server in a child process.
 *  1. closed model, 50 connections, 10 s: vigil vs autocannon (its API, same process) vs wrk
 *     (native, when installed) — requests/s and the ratio to autocannon; BENCH_ROUNDS alternating
 *     rounds (default 3), medians reported;
 *  2. open model at 1k / 5k / 10k req/s offered, 10 s each: achieved rate, dropped iterations,
 *     shortfall, latency, and the generator's CPU-seconds per request (process.cpuUsage).
 *  3. LLM endpoints (bench/llm.bench.ts): TTFT vs a minimal undici SSE client, streams/s and tokens/s.
 *  4. HTTP/2 vs HTTP/1.1, and gRPC vs a minimal @grpc/grpc-js loop (bench/protocols.bench.ts).
 * BENCH_SECONDS=N shortens every run (default 10); BENCH_ONLY=llm or BENCH_ONLY=protocols runs only part 3 or 4 (BENCH_ONLY=grpc: only the gRPC comparison of part 4).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { resolveLoadOptions, runLoad } from '../load/index.ts';
import { llmBench } from './llm.bench.ts';
import { protocolsBench } from './protocols.bench.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = 50;
const OPEN_RATES = [1000, 5000, 10000];
/** Closed-model rounds; the tools alternate within each round and the median is reported (the machine is shared). */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };

const SERVER_JS = `
const http = require('node:http');
const body = JSON.stringify({ outputs: [[0.1, 0.9]] });
const s = http.createServer((req, res) => { req.resume(); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + s.address().port));
`;

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER_JS], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line')) as [string];
  return { url: line.replace('listening ', ''), child };
}

async function vigilClosed(url: string): Promise<number> {
  const r = await runLoad(resolveLoadOptions({ target: url, path: '/', connections: String(CONNECTIONS), duration: `${SECONDS}s`, progress: 'none' }));
  return r.summary.qps;
}

async function autocannonClosed(url: string): Promise<number> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  return r.requests.total / (r.duration || SECONDS);
}

function wrkClosed(url: string): number | undefined {
  const which = spawnSync('sh', ['-c', 'command -v wrk']);
  if (which.status !== 0) return undefined;
  const r = spawnSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, url], { encoding: 'utf8' });
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout);
  return m ? Number(m[1]) : undefined;
}

async function vigilOpen(url: string, rate: number): Promise<string> {
  const cpu0 = process.cpuUsage();
  const r = await runLoad(resolveLoadOptions({ target: url, path: '/', rate: String(rate), duration: `${SECONDS}s`, progress: 'none' }));
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const s = r.summary;
  const sent = s.requests;
  const shortfall = (1 - s.qps / rate) * 100;
  const late = s.schedulerLatenessMs;
  return `| ${rate} | ${s.qps.toFixed(0)} | ${shortfall.toFixed(2)} % | ${s.droppedIterations} | ${s.errors.total} | ${s.latencyMs.p50} | ${s.latencyMs.p99} | ${late ? `${late.p50} / ${late.p99}` : '-'} | ${(cpuS / Math.max(1, sent) * 1e6).toFixed(1)} µs |`;
}

async function main(): Promise<void> {
  if (process.env['BENCH_ONLY'] === 'protocols' || process.env['BENCH_ONLY'] === 'grpc') {
    const out = [`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average at start ${loadavg()[0]?.toFixed(1)}, node ${process.version}, ${SECONDS} s per run`, ...await protocolsBench(process.env['BENCH_ONLY'] === 'grpc' ? 'grpc' : undefined), '', `load average at end ${loadavg()[0]?.toFixed(1)}`];
    process.stdout.write(`${out.join('\n')}\n`);
    return;
  }
  if (process.env['BENCH_ONLY'] === 'llm') {
    const out = [`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average at start ${loadavg()[0]?.toFixed(1)}, node ${process.version}, ${SECONDS} s per run`, ...await llmBench(), '', `load average at end ${loadavg()[0]?.toFixed(1)}`];
    process.stdout.write(`${out.join('\n')}\n`);
    return;
  }
  const { url, child } = await startServer();
  const out: string[] = [];
  try {
    out.push(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average at start ${loadavg()[0]?.toFixed(1)}, node ${process.version}, ${SECONDS} s per run`);
    // Warm the server and both clients' JIT briefly so neither pays it inside its measurement.
    await autocannon({ url, connections: 10, duration: 1 });
    await runLoad(resolveLoadOptions({ target: url, path: '/', connections: '10', duration: '1s', progress: 'none' }));
    const acs: number[] = [];
    const vgs: number[] = [];
    const wrks: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      acs.push(await autocannonClosed(url));
      vgs.push(await vigilClosed(url));
      const w = wrkClosed(url);
      if (w !== undefined) wrks.push(w);
      process.stderr.write(`round ${r + 1}: autocannon ${acs.at(-1)?.toFixed(0)}, vigil ${vgs.at(-1)?.toFixed(0)}, wrk ${wrks.at(-1)?.toFixed(0) ?? '-'} req/s\n`);
    }
    const [ac, vg, wrk] = [median(acs), median(vgs), wrks.length > 0 ? median(wrks) : undefined];
    const each = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(' / ');
    out.push('', `Closed model, ${CONNECTIONS} connections, ${SECONDS} s, GET / on a minimal node:http server (child process); median of ${ROUNDS} alternating rounds:`, '');
    out.push('| tool | requests/s (median) | each round | ratio to autocannon |', '| --- | ---: | ---: | ---: |');
    out.push(`| vigil | ${vg.toFixed(0)} | ${each(vgs)} | ${(vg / ac).toFixed(2)}x |`);
    out.push(`| autocannon | ${ac.toFixed(0)} | ${each(acs)} | 1.00x |`);
    out.push(wrk !== undefined ? `| wrk (-t1) | ${wrk.toFixed(0)} | ${each(wrks)} | ${(wrk / ac).toFixed(2)}x |` : '| wrk | not installed | | |');
    out.push('', `Open model (constant arrival rate), ${SECONDS} s each:`, '');
    out.push('| offered (req/s) | achieved (req/s) | shortfall | dropped | errors | p50 (ms) | p99 (ms) | generator lateness p50 / p99 (ms) | generator CPU per request |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    await runLoad(resolveLoadOptions({ target: url, path: '/', rate: '1000', duration: '1s', progress: 'none' }));
    for (const rate of OPEN_RATES) out.push(await vigilOpen(url, rate));
  } finally {
    child.kill('SIGTERM');
  }
  // LLM endpoints: TTFT accuracy against a minimal SSE client, and streams/tokens per second.
  out.push(...await llmBench());
  // HTTP/2 and gRPC (bench/protocols.bench.ts).
  out.push(...await protocolsBench());
  out.push('', `load average at end ${loadavg()[0]?.toFixed(1)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
