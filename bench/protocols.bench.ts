/**
 * Part of `npm run bench:load` (BENCH_ONLY=protocols runs only this part):
 *  1. gRPC unary calls/s of vigil (closed model, 50 loops on one channel) vs a minimal
 *     @grpc/grpc-js loop (50 concurrent calls on one Client, the same encoded ModelInfer bytes), in
 *     the same process, alternating rounds against one minimal grpc-js server in a child process;
 *     and each one's CPU per call (process.cpuUsage over the run: the generator's own cost).
 *  2. HTTP/2 vs HTTP/1.1 against the same server (node:http2 secure server with allowHTTP1: h2 and
 *     HTTP/1.1 chosen by ALPN, in a child process): closed model with 100 loops (HTTP/2: one
 *     connection, 100 streams; HTTP/1.1: 100 connections), and the open model at a fixed rate with
 *     the same connection shapes (the acceptance: the same rate, 0 drops).
 *  3. Why node:http2 and not undici's allowH2: one h2c connection, 100 streams in flight, the same
 *     dispatch loop on each client against an h2c server in a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execFileSync } from 'node:child_process';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { connect } from 'node:http2';
import { Client as UndiciClient } from 'undici';
import { resolveLoadOptions, runLoad, type LoadInput } from '../load/index.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONCURRENCY = 50;
const H2_STREAMS = 100;
const OPEN_RATE = Number(process.env['BENCH_H2_RATE'] ?? 2000);
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };

/** A minimal grpc-js server: every unary call on any method path answers the same 40 bytes. */
const GRPC_SERVER_JS = `
const grpc = require('@grpc/grpc-js');
const answer = Buffer.alloc(40, 7);
const s = new grpc.Server();
const id = (b) => b;
s.register('/inference.GRPCInferenceService/ModelInfer', (call, cb) => cb(null, answer), id, id, 'unary');
s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, port) => console.log('listening grpc://127.0.0.1:' + port));
`;

/** One TLS server for both protocols: ALPN picks h2 or http/1.1. */
const H2_SERVER_JS = `
const http2 = require('node:http2');
const fs = require('node:fs');
const body = JSON.stringify({ outputs: [[0.1, 0.9]] });
const s = http2.createSecureServer({ key: fs.readFileSync(process.argv[1]), cert: fs.readFileSync(process.argv[2]), allowHTTP1: true, settings: { maxConcurrentStreams: 1000 } }, (req, res) => {
  req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
});
s.listen(0, '127.0.0.1', () => console.log('listening https://127.0.0.1:' + s.address().port));
`;

async function start(js: string, args: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', js, ...args], { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() });
  const [line] = (await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line')) as [string];
  return { url: line.replace('listening ', ''), child };
}

const cpuMicros = (c: NodeJS.CpuUsage): number => c.user + c.system;

async function vigilRun(input: LoadInput): Promise<{ qps: number; cpuUsPerReq: number; p50: number; p99: number; dropped: number; errors: number }> {
  const cpu0 = process.cpuUsage();
  const r = await runLoad(resolveLoadOptions({ progress: 'none', ...input }));
  const cpu = cpuMicros(process.cpuUsage(cpu0));
  const s = r.summary;
  return { qps: s.qps, cpuUsPerReq: cpu / Math.max(1, s.requests), p50: s.latencyMs.p50, p99: s.latencyMs.p99, dropped: s.droppedIterations, errors: s.errors.total };
}

/** The reference: CONCURRENCY calls in flight on one grpc-js Client, each starting the next when it completes. */
async function minimalGrpc(address: string, body: Buffer, seconds: number): Promise<{ qps: number; cpuUsPerReq: number }> {
  const client = new Client(address, credentials.createInsecure());
  const id = (b: Buffer): Buffer => b;
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, () => new Promise<void>((resolve) => {
    const next = (): void => {
      if (performance.now() >= end) { resolve(); return; }
      client.makeUnaryRequest('/inference.GRPCInferenceService/ModelInfer', id, id, body, new Metadata(), {}, () => { n++; next(); });
    };
    next();
  })));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuMicros(process.cpuUsage(cpu0));
  client.close();
  return { qps: n / elapsed, cpuUsPerReq: cpu / Math.max(1, n) };
}

async function grpcBench(out: string[]): Promise<void> {
  const { url, child } = await start(GRPC_SERVER_JS);
  try {
    const input: LoadInput = { target: url, protocol: 'kserve-v2', model: 'fixture', inputs: '[[1, 2, 3, 4]]', connections: String(CONCURRENCY), duration: `${SECONDS}s` };
    const body = resolveLoadOptions({ ...input, progress: 'none' }).source.at(0).body as Buffer;
    await vigilRun({ ...input, duration: '1s' });
    await minimalGrpc(url.replace('grpc://', ''), body, 1);
    const v: { qps: number; cpuUsPerReq: number }[] = [];
    const m: { qps: number; cpuUsPerReq: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      m.push(await minimalGrpc(url.replace('grpc://', ''), body, SECONDS));
      v.push(await vigilRun(input));
      process.stderr.write(`gRPC round ${r + 1}: minimal ${m.at(-1)?.qps.toFixed(0)}, vigil ${v.at(-1)?.qps.toFixed(0)} calls/s\n`);
    }
    const [vq, mq] = [median(v.map((x) => x.qps)), median(m.map((x) => x.qps))];
    out.push('', `gRPC unary (ModelInfer, 46-byte request, 40-byte answer), ${CONCURRENCY} calls in flight on one channel, ${SECONDS} s, minimal grpc-js server in a child process; median of ${ROUNDS} alternating rounds:`, '');
    out.push('| client | calls/s (median) | each round | ratio | CPU per call (median) |', '| --- | ---: | ---: | ---: | ---: |');
    out.push(`| vigil | ${vq.toFixed(0)} | ${v.map((x) => x.qps.toFixed(0)).join(' / ')} | ${(vq / mq).toFixed(2)}x | ${median(v.map((x) => x.cpuUsPerReq)).toFixed(1)} µs |`);
    out.push(`| minimal @grpc/grpc-js loop | ${mq.toFixed(0)} | ${m.map((x) => x.qps.toFixed(0)).join(' / ')} | 1.00x | ${median(m.map((x) => x.cpuUsPerReq)).toFixed(1)} µs |`);
  } finally {
    child.kill('SIGTERM');
  }
}

async function http2Bench(out: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=bench', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
  readFileSync(join(dir, 'c.pem'));
  // A throw-away self-signed certificate: this process does not verify it (benchmark only).
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
  const { url, child } = await start(H2_SERVER_JS, [join(dir, 'k.pem'), join(dir, 'c.pem')]);
  try {
    const base: LoadInput = { target: url, method: 'POST', path: '/predict', body: '{"inputs":[[1,2,3,4]]}' };
    const h2: LoadInput = { ...base, http2: true, maxStreams: String(H2_STREAMS), maxConnections: '1' };
    await vigilRun({ ...h2, connections: '10', duration: '1s' });
    await vigilRun({ ...base, connections: '10', duration: '1s' });
    const closed = { h2: [] as number[], h1: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      closed.h1.push((await vigilRun({ ...base, connections: String(H2_STREAMS), duration: `${SECONDS}s` })).qps);
      closed.h2.push((await vigilRun({ ...h2, connections: String(H2_STREAMS), duration: `${SECONDS}s` })).qps);
      process.stderr.write(`HTTP round ${r + 1}: HTTP/1.1 ${closed.h1.at(-1)?.toFixed(0)}, HTTP/2 ${closed.h2.at(-1)?.toFixed(0)} req/s\n`);
    }
    const open1 = await vigilRun({ ...base, rate: String(OPEN_RATE), maxConnections: String(H2_STREAMS), duration: `${SECONDS}s` });
    const open2 = await vigilRun({ ...h2, rate: String(OPEN_RATE), duration: `${SECONDS}s` });
    out.push('', `HTTP/2 vs HTTP/1.1, POST /predict on one node:http2 TLS server (allowHTTP1, ALPN), child process, ${SECONDS} s per run:`, '');
    out.push(`| protocol | connections × streams | closed model, ${H2_STREAMS} loops: req/s (median of ${ROUNDS}) | each round | open model ${OPEN_RATE} req/s: achieved | dropped | errors | p50 / p99 (ms) | CPU per request |`, '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    out.push(`| HTTP/1.1 | ${H2_STREAMS} × 1 | ${median(closed.h1).toFixed(0)} | ${closed.h1.map((x) => x.toFixed(0)).join(' / ')} | ${open1.qps.toFixed(0)} | ${open1.dropped} | ${open1.errors} | ${open1.p50} / ${open1.p99} | ${open1.cpuUsPerReq.toFixed(1)} µs |`);
    out.push(`| HTTP/2 (h2, ALPN) | 1 × ${H2_STREAMS} | ${median(closed.h2).toFixed(0)} | ${closed.h2.map((x) => x.toFixed(0)).join(' / ')} | ${open2.qps.toFixed(0)} | ${open2.dropped} | ${open2.errors} | ${open2.p50} / ${open2.p99} | ${open2.cpuUsPerReq.toFixed(1)} µs |`);
  } finally {
    child.kill('SIGTERM');
    delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    rmSync(dir, { recursive: true, force: true });
  }
}

const H2C_SERVER_JS = `
const http2 = require('node:http2');
const body = JSON.stringify({ outputs: [[0.1, 0.9]] });
const s = http2.createServer({ settings: { maxConcurrentStreams: 1000 } }, (req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); }); });
s.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + s.address().port));
`;

async function closedLoop(sendOne: () => Promise<void>, concurrency: number, seconds: number): Promise<number> {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => { while (performance.now() < end) { await sendOne(); n++; } }));
  return n / ((performance.now() - t0) / 1000);
}

async function h2ClientChoice(out: string[]): Promise<void> {
  const { url, child } = await start(H2C_SERVER_JS);
  const body = Buffer.from('{"inputs":[[1,2,3,4]]}');
  const undici = new UndiciClient(url, { allowH2: true, useH2c: true, pipelining: H2_STREAMS, maxConcurrentStreams: H2_STREAMS } as ConstructorParameters<typeof UndiciClient>[1]);
  const session = connect(url);
  const viaUndici = (): Promise<void> => new Promise((resolve, reject) => undici.dispatch({ path: '/predict', method: 'POST', headers: { 'content-type': 'application/json' }, body }, {
    onRequestStart() {}, onResponseStart() {}, onResponseData() {}, onResponseEnd() { resolve(); }, onResponseError(_c, e) { reject(e); },
  }));
  const viaNode = (): Promise<void> => new Promise((resolve, reject) => {
    const s = session.request({ ':method': 'POST', ':path': '/predict', 'content-type': 'application/json' });
    s.on('data', () => undefined); s.on('end', resolve); s.on('error', reject); s.end(body);
  });
  try {
    const u: number[] = [];
    const n: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      u.push(await closedLoop(viaUndici, H2_STREAMS, Math.min(SECONDS, 5)));
      n.push(await closedLoop(viaNode, H2_STREAMS, Math.min(SECONDS, 5)));
    }
    out.push('', `HTTP/2 client choice: one h2c connection, ${H2_STREAMS} requests in flight, ${Math.min(SECONDS, 5)} s per round, h2c server in a child process; median of ${ROUNDS} alternating rounds:`, '');
    out.push('| client | req/s (median) | each round |', '| --- | ---: | ---: |');
    out.push(`| undici ${'7.x'} Client, allowH2 + useH2c | ${median(u).toFixed(0)} | ${u.map((x) => x.toFixed(0)).join(' / ')} |`);
    out.push(`| node:http2 session | ${median(n).toFixed(0)} | ${n.map((x) => x.toFixed(0)).join(' / ')} |`);
  } finally {
    await undici.destroy();
    session.destroy();
    child.kill('SIGTERM');
  }
}

/** `only: 'grpc'` (BENCH_ONLY=grpc) runs the gRPC comparison alone. */
export async function protocolsBench(only?: 'grpc'): Promise<string[]> {
  const out: string[] = [];
  await grpcBench(out);
  if (only === 'grpc') return out;
  await http2Bench(out);
  await h2ClientChoice(out);
  return out;
}
