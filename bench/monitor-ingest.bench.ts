/**
 * Reference-inference throughput (issue 5): the fixture classifier (d = 16 → 3) on onnxruntime-node,
 *   - batched: batches of 32 rows, one session.run per batch (what ingestion of
 *     `POST /v1/observations` with 32 inputs does),
 *   - per-sample: one session.run per row (the naive way) — the peer of the ratio,
 *   - micro-batched: 64 concurrent single-row callers through createMicroBatcher
 *     (maxBatch 32, maxDelayMs 1), i.e. per-row requests coalesced by the batcher.
 * Each mode runs `--seconds` (default 3) twice, interleaved (A B C A B C), after a warm-up; the
 * better of the two runs is reported, since on a shared machine noise only ever slows a run down.
 *
 *   node --import tsx bench/monitor-ingest.bench.ts [--seconds 3]
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createMicroBatcher, loadReferenceModel } from '../monitor/inference/index.ts';
import type { ReferenceModel } from '../monitor/inference/index.ts';
import { MODELS_DIR } from '../fixtures/models/build.ts';
import { readFixtureDataset } from '../fixtures/datasets/build.ts';

export interface InferenceBenchRow { mode: string; samples: number; seconds: number; samplesPerSecond: number; runs: number }
export interface InferenceBenchResult { rows: InferenceBenchRow[]; ratioBatchedVsPerSample: number; ratioMicroBatchedVsPerSample: number }

type Mode = (model: ReferenceModel, data: number[][], untilMs: number) => Promise<{ samples: number; runs: number }>;

const BATCH = 32;

const batched: Mode = async (model, data, until) => {
  let samples = 0, runs = 0, at = 0;
  while (performance.now() < until) {
    const rows = BATCH;
    const x = new Float64Array(rows * 16);
    for (let r = 0; r < rows; r++) x.set(data[(at + r) % data.length] as number[], r * 16);
    at += rows;
    await model.predict({ data: x, rows, cols: 16 });
    samples += rows;
    runs++;
  }
  return { samples, runs };
};

const perSample: Mode = async (model, data, until) => {
  let samples = 0;
  while (performance.now() < until) {
    await model.predict({ data: Float64Array.from(data[samples % data.length] as number[]), rows: 1, cols: 16 });
    samples++;
  }
  return { samples, runs: samples };
};

const microBatched: Mode = async (model, data, until) => {
  const batcher = createMicroBatcher(model, { maxBatch: BATCH, maxDelayMs: 1 });
  let samples = 0;
  const caller = async (): Promise<void> => {
    while (performance.now() < until) {
      await batcher.predictRow(data[samples % data.length] as number[]);
      samples++;
    }
  };
  await Promise.all(Array.from({ length: 64 }, caller));
  await batcher.close();
  return { samples, runs: batcher.stats().runs };
};

const MODES: [string, Mode][] = [
  [`batched (${BATCH} rows per session.run)`, batched],
  ['per-sample (1 row per session.run)', perSample],
  ['micro-batched (64 concurrent single rows)', microBatched],
];

export async function runReferenceInferenceBench(seconds = 3): Promise<InferenceBenchResult> {
  const model = await loadReferenceModel(join(MODELS_DIR, 'classifier.onnx'));
  const data = readFixtureDataset('reference.jsonl');
  try {
    for (const [, mode] of MODES) await mode(model, data, performance.now() + 300); // warm-up
    const best = new Map<string, InferenceBenchRow>();
    for (let round = 0; round < 2; round++) {
      for (const [name, mode] of MODES) {
        const start = performance.now();
        const { samples, runs } = await mode(model, data, start + seconds * 1000);
        const elapsed = (performance.now() - start) / 1000;
        const row = { mode: name, samples, seconds: elapsed, samplesPerSecond: samples / elapsed, runs };
        if ((best.get(name)?.samplesPerSecond ?? 0) < row.samplesPerSecond) best.set(name, row);
      }
    }
    const rows = MODES.map(([name]) => best.get(name) as InferenceBenchRow);
    const [b, p, m] = rows as [InferenceBenchRow, InferenceBenchRow, InferenceBenchRow];
    return { rows, ratioBatchedVsPerSample: b.samplesPerSecond / p.samplesPerSecond, ratioMicroBatchedVsPerSample: m.samplesPerSecond / p.samplesPerSecond };
  } finally {
    await model.close();
  }
}

export function formatInferenceBench(result: InferenceBenchResult): string {
  const lines = ['| mode | samples/s | session.run calls | samples |', '| --- | ---: | ---: | ---: |'];
  for (const r of result.rows) lines.push(`| ${r.mode} | ${Math.round(r.samplesPerSecond).toLocaleString('en-US')} | ${r.runs.toLocaleString('en-US')} | ${r.samples.toLocaleString('en-US')} |`);
  lines.push('', `Batched / per-sample: **${result.ratioBatchedVsPerSample.toFixed(1)}×**; micro-batched / per-sample: **${result.ratioMicroBatchedVsPerSample.toFixed(1)}×**.`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
  const result = await runReferenceInferenceBench(Number(values.seconds));
  console.log(formatInferenceBench(result));
}
