/**
 * Proxy overhead (part of `npm run bench:monitor`, ONLY=proxy): open load at each rate (BENCH_RATES,
 * default 500,1000 req/s), one 16-feature row per request, against the real upstream directly, through a
 * bare node:http + undici streaming forwarder (the peer: the least one more process can cost) and through
 * `vigil monitor serve --upstream` with classifier.onnx — for `--protocol json` in front of the fixture
 * model server and `--protocol kserve-v2` in front of the fixture V2 server. Paths alternate within each
 * round (direct, bare, monitor), BENCH_ROUNDS rounds (default 2); CPU per request of the forwarder and the
 * monitor from /proc/PID/stat over each run (per request served), with the 1-minute load average of each run.
 * The monitor is left to settle (online detector calibration) before the first run. Then a closed loop
 * (BENCH_CLOSED requests, default 20,000; 0 skips it): bare forwarder vs monitor, requests/s and CPU per request.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { resolveLoadOptions, runLoad } from '../load/index.ts';
import { readReferenceSet } from '../monitor/state/reference-set.ts';
import { cpuSeconds, DATA, MODEL, ROOT, settle, spawnListening, startFixtureServer, startMonitor, stop } from './processes.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const RATES = (process.env.BENCH_RATES ?? '500,1000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PROTOCOLS = (process.env.BENCH_PROTOCOLS ?? 'json,kserve-v2').split(',');

const row = (() => { const m = readReferenceSet(join(DATA, 'current-clean.jsonl')).inputs; return Array.from(m.data.subarray(0, m.cols)); })();

/** The peer: node:http in, undici out (keep-alive), both bodies streamed, no express, no metrics, no observation. */
const BARE_FORWARDER_JS = `
const http = require('node:http');
const { Agent } = require(${JSON.stringify(join(ROOT, 'node_modules', 'undici'))});
const u = new URL(process.argv[1]);
const agent = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 10000 });
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);
const s = http.createServer({ noDelay: true }, (req, res) => {
  const headers = {};
  for (const k in req.headers) if (!HOP.has(k)) headers[k] = req.headers[k];
  agent.request({ origin: u.origin, path: req.url, method: req.method, headers, body: req.method === 'GET' ? null : req }).then((r) => {
    const h = {};
    for (const k in r.headers) if (!HOP.has(k)) h[k] = r.headers[k];
    res.writeHead(r.statusCode, h);
    r.body.pipe(res);
  }, () => { res.writeHead(502); res.end(); });
});
s.keepAliveTimeout = 65000;
s.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + s.address().port));
`;

interface Run { p50: number; p99: number; qps: number; errors: number; cpuMsPerRequest: number | undefined; load: number }

async function loadRun(url: string, path: string, body: string, rate: number, pid: number | undefined): Promise<Run> {
  const cpu0 = pid === undefined ? 0 : cpuSeconds(pid);
  const r = await runLoad(resolveLoadOptions({ target: url, path, method: 'POST', header: ['content-type: application/json'], body, rate: String(rate), duration: `${SECONDS}s`, warmup: '2s', timeout: '5s', progress: 'none' }));
  // Requests answered during the warm-up and the run (the run's count scaled to both): a forwarder that
  // falls behind is charged for what it served, not for arrivals it never got to.
  const requests = r.summary.requests * ((SECONDS + 2) / SECONDS);
  const cpuMsPerRequest = pid === undefined ? undefined : ((cpuSeconds(pid) - cpu0) * 1000) / requests;
  return { p50: r.summary.latencyMs.p50, p99: r.summary.latencyMs.p99, qps: r.summary.qps, errors: r.summary.errors.total, cpuMsPerRequest, load: loadavg()[0] ?? Number.NaN };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const CLOSED = Number(process.env.BENCH_CLOSED ?? 20_000);

/**
 * Closed loop: CLOSED requests over 16 keep-alive connections as fast as they are answered (after 1,000
 * unmeasured): requests/s and the forwarding process's CPU per request. CPU time is what a shared
 * machine disturbs least — the open-model tails above measure the neighbours as much as the proxy.
 */
async function closedRun(url: string, path: string, body: string, pid: number): Promise<{ perS: number; cpuMs: number }> {
  const pool = new Pool(url, { connections: 16 });
  const one = async (): Promise<void> => {
    const res = await pool.request({ path, method: 'POST', body, headers: { 'content-type': 'application/json' } });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`${url}${path} answered ${res.statusCode}`);
  };
  try {
    for (let i = 0; i < 1000; i++) await one();
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    let left = CLOSED;
    await Promise.all(Array.from({ length: 16 }, async () => { while (left-- > 0) await one(); }));
    const s = (performance.now() - t0) / 1000;
    return { perS: CLOSED / s, cpuMs: ((cpuSeconds(pid) - cpu0) * 1000) / CLOSED };
  } finally { await pool.close(); }
}

export async function benchProxy(): Promise<void> {
  console.log(`\n## Proxy overhead (open model, ${RATES.join(' and ')} req/s, ${SECONDS} s + 2 s warm-up per run, ${ROUNDS} alternating rounds; monitor with classifier.onnx, every exchange observed; CPU per request of the forwarding process from /proc)`);
  console.log('| protocol | rate req/s | path | P50 ms (runs) | P99 ms (runs) | achieved req/s | errors | CPU ms/request | load avg 1 min (runs) |\n| --- | ---: | --- | --- | --- | ---: | ---: | ---: | --- |');
  const verdicts: string[] = [];
  for (const protocol of PROTOCOLS) {
    const upstream = await startFixtureServer(protocol === 'kserve-v2' ? 'v2-server' : 'model-server');
    const path = protocol === 'kserve-v2' ? '/v2/models/classifier/infer' : '/predict';
    const body = protocol === 'kserve-v2'
      ? JSON.stringify({ inputs: [{ name: 'features', shape: [1, 16], datatype: 'FP32', data: row }] })
      : JSON.stringify({ inputs: [row] });
    const mon = await startMonitor(['--model', MODEL, '--reference', join(DATA, 'reference.jsonl'), '--window', '1000', '--evaluate-every', '1000000', '--evaluate-interval', '1h', '--no-watch', '--insecure-no-auth', '--upstream', upstream.url, '--protocol', protocol]);
    const bare = await spawnListening(['-e', BARE_FORWARDER_JS, upstream.url]);
    const settled = await settle(mon.child.pid as number);
    verdicts.push(`${protocol}: the monitor settled ${settled.toFixed(1)} s after start (online detector calibration, model load) before the first run`);
    try {
      for (const rate of RATES) {
        const runs: Record<'direct' | 'bare' | 'monitor', Run[]> = { direct: [], bare: [], monitor: [] };
        for (let r = 0; r < ROUNDS; r++) {
          runs.direct.push(await loadRun(upstream.url, path, body, rate, undefined));
          runs.bare.push(await loadRun(bare.url, path, body, rate, bare.child.pid));
          runs.monitor.push(await loadRun(mon.url, path, body, rate, mon.child.pid));
        }
        for (const [name, rs] of Object.entries(runs)) {
          const cpu = rs[0]?.cpuMsPerRequest === undefined ? '–' : mean(rs.map((x) => x.cpuMsPerRequest as number)).toFixed(3);
          console.log(`| ${protocol} | ${rate} | ${name} | ${rs.map((x) => x.p50.toFixed(2)).join(', ')} | ${rs.map((x) => x.p99.toFixed(2)).join(', ')} | ${mean(rs.map((x) => x.qps)).toFixed(0)} | ${rs.reduce((n, x) => n + x.errors, 0)} | ${cpu} | ${rs.map((x) => x.load.toFixed(1)).join(', ')} |`);
        }
        const d = mean(runs.direct.map((x) => x.p99));
        const b = mean(runs.bare.map((x) => x.p99)) - d;
        const m = mean(runs.monitor.map((x) => x.p99)) - d;
        const d50 = mean(runs.direct.map((x) => x.p50));
        verdicts.push(`${protocol} at ${rate} req/s: added P99 bare ${b.toFixed(2)} ms, monitor ${m.toFixed(2)} ms (goal ≤ bare + 1 ms = ${(b + 1).toFixed(2)}: ${m <= b + 1 ? 'met' : 'MISSED'}); added P50 bare ${(mean(runs.bare.map((x) => x.p50)) - d50).toFixed(2)} ms, monitor ${(mean(runs.monitor.map((x) => x.p50)) - d50).toFixed(2)} ms`);
      }
      if (CLOSED > 0) {
        const closed: Record<'bare' | 'monitor', { perS: number; cpuMs: number }[]> = { bare: [], monitor: [] };
        for (let r = 0; r < ROUNDS; r++) {
          closed.bare.push(await closedRun(bare.url, path, body, bare.child.pid as number));
          closed.monitor.push(await closedRun(mon.url, path, body, mon.child.pid as number));
        }
        for (const [name, rs] of Object.entries(closed)) {
          verdicts.push(`${protocol} closed loop (${CLOSED} requests, 16 connections), ${name}: ${rs.map((x) => x.perS.toFixed(0)).join(', ')} req/s, CPU ${rs.map((x) => x.cpuMs.toFixed(3)).join(', ')} ms/request (load average ${loadavg()[0]?.toFixed(1)})`);
        }
      }
      const metrics = await (await fetch(`${mon.url}/metrics`)).text();
      const total = (name: string): number => [...metrics.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'gm'))].reduce((n, x) => n + Number(x[1]), 0);
      verdicts.push(`${protocol}: exchanges proxied ${total('vigil_upstream_requests_total')}, rows observed ${total('vigil_observations_total')}, rejected ${total('vigil_observations_rejected_total')}`);
    } finally { await stop(mon.child); await stop(bare.child); await stop(upstream.child); }
  }
  console.log(`\n${verdicts.join('\n')}`);
}

/**
 * Streaming: SSE chunks through the monitor (`--protocol openai`) vs directly from the fixture LLM
 * server (TTFT 20 ms, a chunk every 20 ms, 10 tokens), alternating request by request: when each
 * content chunk reaches the client, from the send.
 */
export async function benchSse(): Promise<void> {
  const N = Number(process.env.BENCH_SSE_REQUESTS ?? 40);
  const llm = await spawnListening(['--import', 'tsx', 'fixtures/servers/llm-server.ts', '--port', '0', '--ttft', 'fixed:20ms', '--itl', 'fixed:20ms']);
  const ref = join(ROOT, 'examples/llm/chat.jsonl');
  const recorded = join(process.env.TMPDIR ?? '/tmp', `vigil-bench-llm-ref-${process.pid}.jsonl`);
  const rec = spawn(process.execPath, ['bin/vigil.js', 'monitor', 'record', '--target', llm.url, '--requests', ref, '--out', recorded, '--concurrency', '8'], { cwd: ROOT, stdio: 'ignore' });
  await once(rec, 'exit');
  const mon = await startMonitor(['--reference', recorded, '--no-watch', '--insecure-no-auth', '--upstream', llm.url, '--protocol', 'openai']);
  const body = JSON.stringify({ model: 'vigil-fixture-llm', messages: [{ role: 'user', content: 'hello' }], max_tokens: 10, stream: true, stream_options: { include_usage: true } });
  const { request } = await import('undici');
  const arrivals = async (base: string): Promise<number[]> => {
    const t0 = performance.now();
    const res = await request(`${base}/v1/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const times: number[] = [];
    for await (const c of res.body) {
      const n = ((c as Buffer).toString().match(/"content":"[^"]/g) ?? []).length;
      for (let i = 0; i < n; i++) times.push(performance.now() - t0);
    }
    return times;
  };
  try {
    const direct: number[][] = [];
    const via: number[][] = [];
    for (let i = 0; i < N; i++) { direct.push(await arrivals(llm.url)); via.push(await arrivals(mon.url)); }
    const at = (runs: number[][], k: number) => mean(runs.map((r) => r[k] ?? Number.NaN));
    console.log(`\n## Streaming through the proxy (fixture LLM server: TTFT 20 ms, 20 ms between chunks, 10 tokens; ${N} requests each, alternating; ms from the send)`);
    console.log('| chunk | direct ms | through the monitor ms | added ms |\n| ---: | ---: | ---: | ---: |');
    for (const k of [0, 1, 4, 9]) console.log(`| ${k + 1} | ${at(direct, k).toFixed(2)} | ${at(via, k).toFixed(2)} | ${(at(via, k) - at(direct, k)).toFixed(2)} |`);
  } finally { await stop(mon.child); await stop(llm.child); }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if ((process.env.ONLY ?? 'proxy,sse').includes('proxy')) await benchProxy();
  if ((process.env.ONLY ?? 'proxy,sse').includes('sse')) await benchSse();
}
