/**
 * `npm run bench:monitor-state` — the cost of `--state-dir` (issue 12), each against its peer in the
 * same run, rounds alternating:
 *  1. ingestion throughput over HTTP (POST /v1/observations, batches of 32 rows, 8 concurrent
 *     clients, the fixture classifier d=16 → 3 as reference model): without vs with --state-dir
 *     (journal written on every batch, fsync every 1 s, snapshot every 60 s). Goal ≥ 0.8×, ≥ 20,000 samples/s.
 *  2. restart to ready with a full 100,000-row window: startMonitor() from a state directory holding
 *     that window (snapshot + journal) vs the same start with no state. Goal ≤ 2 s.
 * Flags (env): BENCH_SECONDS (per ingestion round, default 5), ROUNDS (default 2), RESTART_WINDOW (100000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { createRng } from '../fixtures/servers/rng.ts';
import { parseMonitorConfig } from '../monitor/config.ts';
import { createLogger } from '../monitor/logger.ts';
import { startMonitor, type MonitorService } from '../monitor/service.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MODEL = join(ROOT, 'fixtures/models/classifier.onnx');
const REFERENCE = join(ROOT, 'fixtures/datasets/reference.jsonl');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const RESTART_WINDOW = Number(process.env.RESTART_WINDOW ?? 100_000);
const D = 16;
const TOKEN = 'bench-ingest-token-1';

function rows(n: number, seed: number): number[][] {
  const r = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: D }, () => r.normal()));
}

async function start(extra: Record<string, unknown>): Promise<MonitorService> {
  const config = parseMonitorConfig({ reference: REFERENCE, model: MODEL, port: 0, logLevel: 'silent', watch: { enabled: false }, ...extra });
  return startMonitor(config, { env: { VIGIL_INGEST_TOKEN: TOKEN }, logger: createLogger('silent') });
}

async function ingestRound(stateDir: string | undefined): Promise<number> {
  const svc = await start({ window: 500, ...(stateDir ? { stateDir } : {}) });
  const pool = new Pool(svc.url, { connections: 8 });
  const bodies = Array.from({ length: 16 }, (_, i) => JSON.stringify({ inputs: rows(32, i + 1) }));
  let samples = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: 8 }, async (_, c) => {
    for (let k = c; performance.now() < until; k++) {
      const res = await pool.request({ path: '/v1/observations', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: bodies[k % bodies.length] as string });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      samples += 32;
    }
  }));
  await pool.close();
  await svc.close();
  return samples / SECONDS;
}

async function main(): Promise<void> {
  console.log(`# monitor --state-dir: load average ${loadavg()[0]?.toFixed(1)} at start`);
  const best = { without: 0, with: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    best.without = Math.max(best.without, await ingestRound(undefined));
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-state-'));
    best.with = Math.max(best.with, await ingestRound(dir));
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| ingestion (HTTP, 32-row batches, 8 clients, reference model) | samples/s (best of rounds) |');
  console.log('| --- | --- |');
  console.log(`| without --state-dir | ${Math.round(best.without).toLocaleString('en-US')} |`);
  console.log(`| with --state-dir | ${Math.round(best.with).toLocaleString('en-US')} (${(best.with / best.without).toFixed(2)}×) |`);

  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-state-'));
  const filler = await start({ window: RESTART_WINDOW, stateDir: dir, stateSnapshotInterval: '1h' });
  const chunk = rows(1000, 99);
  const m = { data: Float64Array.from(chunk.flat()), rows: 1000, cols: D };
  // close() writes the last snapshot: the restart reads the whole window from it (journal empty).
  for (let i = 0; i < RESTART_WINDOW / 1000; i++) await filler.engine.observe({ inputs: m }, 'api');
  await filler.close();
  const times = { without: Infinity, with: Infinity };
  let samples = 0;
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    const cold = await start({ window: RESTART_WINDOW });
    times.without = Math.min(times.without, performance.now() - t);
    await cold.close();
    t = performance.now();
    const warm = await start({ window: RESTART_WINDOW, stateDir: dir, stateSnapshotInterval: '1h' });
    times.with = Math.min(times.with, performance.now() - t);
    samples = warm.engine.windowSize;
    await warm.close();
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(`\n| start to listening (in-process startMonitor, model loaded each time) | ms (best of ${ROUNDS}) |`);
  console.log('| --- | --- |');
  console.log(`| no state | ${Math.round(times.without)} |`);
  console.log(`| --state-dir with a full ${samples.toLocaleString('en-US')}-row window (d=${D} + 3 outputs) | ${Math.round(times.with)} (state: +${Math.round(times.with - times.without)}) |`);
}

await main();
