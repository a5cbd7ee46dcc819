/**
 * `npm run bench:monitor-memory` — peak memory of one drift evaluation at a full window of 100,000
 * rows × 16 features (issue 12's goal: ≤ 1 GiB), in the real evaluation worker, each case in its own
 * child process so `maxRSS` (getrusage: the whole process, main thread + worker) is that case's alone.
 * Cases: vigil's default `mmdMaxSamples` 5000, and 2000 for comparison. The unsubsampled MMD of
 * before (window² float32 kernel) is given as the monitor's own estimate: it cannot run here.
 * Flags (env): WINDOW (default 100000), D (16), PERMUTATIONS (100).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRng } from '../fixtures/servers/rng.ts';
import { EvaluationClient } from '../monitor/evaluation/client.ts';
import { RingWindow } from '../monitor/state/window.ts';
import { estimateMemoryBytes } from '../monitor/state/memory-budget.ts';

const WINDOW = Number(process.env.WINDOW ?? 100_000);
const D = Number(process.env.D ?? 16);
const PERMUTATIONS = Number(process.env.PERMUTATIONS ?? 100);
const REFERENCE_ROWS = 1000;
const MiB = 2 ** 20;

function gaussian(rows: number, seed: number, shift = 0): Float64Array {
  const r = createRng(seed);
  return Float64Array.from({ length: rows * D }, () => r.normal() + shift);
}

/** One case, in this (child) process: fill the ring window, snapshot, evaluate in the worker. */
async function child(maxSamples: number): Promise<void> {
  const client = new EvaluationClient();
  await client.setReference({
    type: 'reference', features: Array.from({ length: D }, (_, j) => `f${j}`), outputNames: [],
    inputs: { data: gaussian(REFERENCE_ROWS, 1), rows: REFERENCE_ROWS, cols: D },
    settings: { alpha: 0.05, correction: 'bonferroni', permutations: PERMUTATIONS, seed: 1, parityTolerance: 1e-4, mmdMaxSamples: maxSamples },
  });
  const window = new RingWindow(WINDOW, D);
  window.pushRows({ data: gaussian(WINDOW, 2, 0.1), rows: WINDOW, cols: D });
  const started = performance.now();
  const e = await client.evaluate({ seq: 1, inputs: window.snapshot() });
  const seconds = (performance.now() - started) / 1000;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ maxSamples, maxRssBytes, seconds, worker: client.memory, subsample: e.inputs.mmd.subsample, drift: e.drift })}\n`);
  await client.close();
}

function main(): void {
  const self = fileURLToPath(import.meta.url);
  const load = loadavg()[0]?.toFixed(1);
  console.log(`# monitor memory: window ${WINDOW.toLocaleString('en-US')} × d=${D}, reference ${REFERENCE_ROWS}, ${PERMUTATIONS} permutations; load average ${load}`);
  console.log('| mmdMaxSamples | peak RSS of the process (main + worker) | worker heap after (used / external) | evaluation time | estimate (--max-memory) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const maxSamples of [5000, 2000]) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, String(maxSamples)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`case ${maxSamples} failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { maxRssBytes: number; seconds: number; worker: { heapUsedBytes: number; externalBytes: number } };
    const est = estimateMemoryBytes({ window: WINDOW, features: D, outputDim: 0, referenceRows: REFERENCE_ROWS, mmdMaxSamples: maxSamples });
    console.log(`| ${maxSamples} | ${(out.maxRssBytes / MiB).toFixed(0)} MiB | ${(out.worker.heapUsedBytes / MiB).toFixed(0)} / ${(out.worker.externalBytes / MiB).toFixed(0)} MiB | ${out.seconds.toFixed(1)} s | ${(est / MiB).toFixed(0)} MiB |`);
  }
  const unbounded = estimateMemoryBytes({ window: WINDOW, features: D, outputDim: 0, referenceRows: REFERENCE_ROWS, mmdMaxSamples: WINDOW });
  console.log(`without subsampling (before issue 12) the same estimate is ${(unbounded / 2 ** 30).toFixed(1)} GiB: not run`);
}

if (process.argv[2]) await child(Number(process.argv[2]));
else main();
