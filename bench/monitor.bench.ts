/**
 * `npm run bench:monitor` — the monitor service, each figure against a peer measured in the same run:
 *  1. ingestion with reference inference (classifier.onnx, d=16) over HTTP, batches of 32 rows vs
 *     1 row per request (the naive per-sample way): samples/s and the ratio;
 *  2. proxy overhead (bench/proxy.bench.ts): open load at 500 and 1,000 req/s directly, through a bare
 *     node:http + undici forwarder and through `vigil monitor serve --upstream` (json and kserve-v2, with
 *     the model), alternating: P50/P99 and CPU per request;
 *  3. event-loop lag P99 while drift evaluations run (window 1,000, reference 1,000, d=16): in the
 *     worker thread (vigil) vs the same evaluation on the main thread (the naive way);
 *  4. monitor RSS under sustained ingestion at 2,000 samples/s: first/last/max and the Theil–Sen slope.
 * Flags (env): BENCH_SECONDS (per load run, default 10; proxy runs 8), BENCH_RATES (proxy, default 500,1000),
 * BENCH_ROUNDS (proxy, default 2), BENCH_PROTOCOLS (proxy, default json,kserve-v2), BENCH_CLOSED (proxy closed-loop
 * requests, default 20000; 0 skips it), RSS_SECONDS (default 600, the issue's
 * 10 minutes), ONLY=ingest,proxy,lag,rss,family,online to run a subset (family, online: bench/family.bench.ts —
 * the family decision's evaluation time and power, the online detector's calibration, update cost and delay).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { EvaluationClient } from '../monitor/evaluation/client.ts';
import { WindowEvaluator } from '../monitor/evaluation/evaluate.ts';
import type { DriftSettings } from '../monitor/evaluation/types.ts';
import { readReferenceSet } from '../monitor/state/reference-set.ts';
import type { Matrix } from '../monitor/state/window.ts';
import { theilSen } from '../monitor/watch/index.ts';
import { DATA, MODEL, startMonitor, stop } from './processes.ts';
import { benchProxy, benchSse } from './proxy.bench.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RSS_SECONDS = Number(process.env.RSS_SECONDS ?? 600);
const ONLY = new Set((process.env.ONLY ?? 'ingest,proxy,lag,rss,family,online').split(','));
const TOKEN = 'bench-ingest-token';

const rows = (() => {
  const m = readReferenceSet(join(DATA, 'current-clean.jsonl')).inputs;
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
})();

const startIngestMonitor = (extra: string[] = []) => startMonitor(['--model', MODEL, '--reference', join(DATA, 'reference.jsonl'), '--window', '1000', '--evaluate-every', '500', '--body-limit', '8MiB', ...extra], { dev: true, env: { VIGIL_INGEST_TOKEN: TOKEN } });

async function ingestRate(url: string, batch: number, seconds: number, concurrency = 8): Promise<number> {
  const agent = new Agent({ connections: concurrency });
  const deadline = performance.now() + seconds * 1000;
  let samples = 0;
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const start = (next += batch) % (rows.length - batch);
      const body = JSON.stringify({ inputs: rows.slice(start, start + batch) });
      const res = await request(`${url}/v1/observations`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, dispatcher: agent });
      await res.body.dump();
      if (res.statusCode !== 200) throw new Error(`ingest answered ${res.statusCode}`);
      samples += batch;
    }
  }));
  await agent.close();
  return samples / seconds;
}

async function benchIngest(): Promise<void> {
  const mon = await startIngestMonitor(['--evaluate-every', '1000000', '--evaluate-interval', '1h']);
  try {
    await ingestRate(mon.url, 32, 2); // warm-up
    const batched = await ingestRate(mon.url, 32, SECONDS);
    const single = await ingestRate(mon.url, 1, SECONDS);
    console.log(`\n## 1. Ingestion with reference inference (classifier.onnx, d=16, 8 concurrent clients, ${SECONDS} s each)`);
    console.log('| requests | samples/s | ratio |\n| --- | ---: | ---: |');
    console.log(`| batches of 32 rows (micro-batched inference) | ${batched.toFixed(0)} | ${(batched / single).toFixed(1)}× |`);
    console.log(`| 1 row per request (per-sample inference, naive) | ${single.toFixed(0)} | 1.0× |`);
  } finally { await stop(mon.child); }
}

function matrix(file: string, n: number): Matrix {
  const m = readReferenceSet(file).inputs;
  return { data: m.data.slice(0, n * m.cols), rows: n, cols: m.cols };
}

async function benchLag(): Promise<void> {
  const reference = matrix(join(DATA, 'reference.jsonl'), 1000);
  const a = matrix(join(DATA, 'drift-mean-shift.jsonl'), 500);
  const b = matrix(join(DATA, 'current-clean.jsonl'), 500);
  const windowData = new Float64Array(1000 * 16);
  windowData.set(a.data, 0);
  windowData.set(b.data, 500 * 16);
  const window: Matrix = { data: windowData, rows: 1000, cols: 16 };
  const settings: DriftSettings = { alpha: 0.05, correction: 'bonferroni', permutations: 100, seed: 1, parityTolerance: 1e-4 };
  const features = Array.from({ length: 16 }, (_, j) => `f${j}`);
  const evaluations = 5;

  const measure = async (run: () => Promise<number>): Promise<{ p99: number; max: number; evalMs: number }> => {
    const h = monitorEventLoopDelay({ resolution: 1 });
    // A steady stream of small tasks, as an ingesting/proxying service has.
    const ticker = setInterval(() => undefined, 1);
    h.enable();
    let evalMs = 0;
    for (let i = 0; i < evaluations; i++) evalMs += await run();
    h.disable();
    clearInterval(ticker);
    return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, evalMs: evalMs / evaluations };
  };
  const client = new EvaluationClient();
  client.setReference({ type: 'reference', features, outputNames: [], inputs: reference, settings });
  await client.evaluate({ seq: 0, inputs: window }); // worker start-up and reference kernel outside the measurement
  const inWorker = await measure(async () => (await client.evaluate({ seq: 1, inputs: window })).durationMs);
  await client.close();
  const local = new WindowEvaluator({ type: 'reference', features, outputNames: [], inputs: reference, settings });
  const onMain = await measure(async () => {
    await new Promise((r) => setImmediate(r));
    return local.evaluate({ type: 'evaluate', id: 1, seq: 1, inputs: window }).durationMs;
  });
  console.log(`\n## 3. Event-loop lag during drift evaluations (window 1,000, reference 1,000, d=16, KS×16 + MMD with 100 permutations; ${evaluations} evaluations each)`);
  console.log('| where the evaluation runs | loop lag P99 ms | loop lag max ms | evaluation ms (mean) |\n| --- | ---: | ---: | ---: |');
  console.log(`| worker thread (vigil) | ${inWorker.p99.toFixed(1)} | ${inWorker.max.toFixed(1)} | ${inWorker.evalMs.toFixed(0)} |`);
  console.log(`| main thread (naive) | ${onMain.p99.toFixed(1)} | ${onMain.max.toFixed(1)} | ${onMain.evalMs.toFixed(0)} |`);
  console.log(`\nlag P99 ratio naive/worker: ${(onMain.p99 / Math.max(inWorker.p99, 0.001)).toFixed(0)}× (goal: ≤ 20 ms P99 in the worker)`);
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

async function benchRss(): Promise<void> {
  const mon = await startIngestMonitor(['--evaluate-every', '500']);
  const agent = new Agent({ connections: 4 });
  try {
    const perRequest = 32;
    const interval = 1000 / (2000 / perRequest); // 62.5 requests/s of 32 rows = 2,000 samples/s
    const samples: { t: number; rss: number }[] = [];
    const started = performance.now();
    let sent = 0;
    let failed = 0;
    const pid = mon.child.pid as number;
    const heap = async (): Promise<number> => {
      const res = await request(`${mon.url}/v1/status`, { headers: { authorization: `Bearer ${TOKEN}` }, dispatcher: agent });
      return ((await res.body.json()) as { memory: { heapUsedBytes: number } }).memory.heapUsedBytes;
    };
    const heapFirst = await heap();
    const sampler = setInterval(() => samples.push({ t: (performance.now() - started) / 1000, rss: rssOf(pid) }), 1000);
    while (performance.now() - started < RSS_SECONDS * 1000) {
      const due = started + sent * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const start = (sent * perRequest) % (rows.length - perRequest);
      sent++;
      void request(`${mon.url}/v1/observations`, { method: 'POST', body: JSON.stringify({ inputs: rows.slice(start, start + perRequest) }), headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, dispatcher: agent })
        .then((res) => { if (res.statusCode !== 200) failed++; return res.body.dump(); }).catch(() => { failed++; });
    }
    clearInterval(sampler);
    const heapLast = await heap();
    const skip = samples.filter((s) => s.t >= Math.min(30, RSS_SECONDS / 4)); // after warm-up (JIT, first evaluations)
    const ts = theilSen(skip.map((s) => s.t), skip.map((s) => s.rss));
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    console.log(`\n## 4. Monitor RSS under sustained ingestion (2,000 samples/s = 62.5 req/s × 32 rows, ${RSS_SECONDS} s, window 1,000, evaluation every 500 samples)`);
    console.log('| samples ingested | failed requests | RSS first MiB | RSS last MiB | RSS max MiB | RSS Theil–Sen slope after warm-up | main-thread heap used first → last MiB |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(`| ${sent * perRequest} | ${failed} | ${mib(samples[0]?.rss ?? 0)} | ${mib(samples.at(-1)?.rss ?? 0)} | ${mib(Math.max(...samples.map((s) => s.rss)))} | ${(ts.slope / 1024).toFixed(1)} KiB/s | ${mib(heapFirst)} → ${mib(heapLast)} |`);
    const minute = (from: number) => samples.filter((s) => s.t >= from && s.t < from + 60).map((s) => s.rss);
    const perMinute = Array.from({ length: Math.floor(RSS_SECONDS / 60) }, (_, i) => Math.max(...minute(i * 60)));
    if (perMinute.length > 1) console.log(`\nRSS max per minute, MiB: ${perMinute.map(mib).join(', ')}`);
  } finally { await agent.close(); await stop(mon.child); }
}

console.log(`# vigil monitor benchmarks — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}, Node ${process.version}`);
if (ONLY.has('ingest')) await benchIngest();
if (ONLY.has('proxy')) { await benchProxy(); await benchSse(); }
if (ONLY.has('lag')) await benchLag();
if (ONLY.has('rss')) await benchRss();
if (ONLY.has('family')) {
  const { familyPower, familyTime } = await import('./family.bench.ts');
  await familyTime();
  await familyPower();
}
if (ONLY.has('online')) await (await import('./family.bench.ts')).onlineBench();
