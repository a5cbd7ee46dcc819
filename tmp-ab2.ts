import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { resolveLoadOptions, runLoad } from './load/index.ts';
const js = `const grpc = require('@grpc/grpc-js'); const answer = Buffer.alloc(40, 7); const s = new grpc.Server(); const id = (b) => b;
s.register('/inference.GRPCInferenceService/ModelInfer', (call, cb) => cb(null, answer), id, id, 'unary');
s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, port) => console.log('listening grpc://127.0.0.1:' + port));`;
const child = spawn(process.execPath, ['-e', js], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
const url = line.replace('listening ', '');
const input = { target: url, protocol: 'kserve-v2', model: 'fixture', inputs: '[[1, 2, 3, 4]]', connections: '50', progress: 'none' as const };
const body = resolveLoadOptions(input).source.at(0).body as Buffer;
const SECS = Number(process.argv[2] ?? 3);
const N = 4000;
async function minimal(variant: string) {
  const opts = variant.includes('nochz') ? { 'grpc.enable_channelz': 0 } : {};
  const client = new Client(url.replace('grpc://', ''), credentials.createInsecure(), opts);
  const md0 = new Metadata();
  const id = (b: Buffer) => b; let n = 0; let started = 0; const t0 = performance.now(); const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: 50 }, () => new Promise<void>((resolve) => { const next = () => { if (started >= N) { resolve(); return; } started++; client.makeUnaryRequest('/inference.GRPCInferenceService/ModelInfer', id, id, body, variant.includes('clone') ? md0.clone() : new Metadata(), variant.includes('deadline') ? { deadline: Date.now() + 60000 } : {}, () => { n++; next(); }); }; next(); })));
  const c = process.cpuUsage(c0); client.close();
  return ((c.user + c.system) / n);
}
async function vigil() { const c0 = process.cpuUsage(); const r = await runLoad(resolveLoadOptions({ ...input, requests: String(N) })); const c = process.cpuUsage(c0); return ((c.user + c.system) / r.summary.requests); }
const variants = ['plain', 'vigil'];
const res: Record<string, number[]> = {};
for (const v of variants) await (v === 'vigil' ? vigil() : minimal(v));
for (let i = 0; i < 5; i++) for (const v of variants) (res[v] ??= []).push(await (v === 'vigil' ? vigil() : minimal(v)));
for (const v of variants) { const s = [...res[v]!].sort((a, b) => a - b); console.log(v.padEnd(24), 'median CPU/call', s[2]!.toFixed(0), 'µs', s.map((x) => x.toFixed(0)).join(' ')); }
child.kill();
