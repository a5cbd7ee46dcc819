/**
 * Reference inference with models as exporters write them (issue 17): the adapted ZipMap
 * classifier (its ZipMap replaced in memory by the probabilities tensor) against the plain float
 * model of the same size — the same graph with one float output and no ZipMap — in one run.
 * Two families: the skl2onnx LogisticRegression and the LightGBM-style tree ensemble fixtures.
 * Variants per family:
 *   - plain:          one float32 output [N, 3] (the peer of the ratio),
 *   - zipmap:         the ZipMap fixture, adapted, fetching the scores only (what the monitor does
 *                     for observations without deployed labels),
 *   - zipmap+label:   the same, fetching the int64 label output too (observations with labels).
 * Batches of 1 and 32 rows through `model.predict` (one session.run each). Each round runs every
 * variant for `--seconds` in 50 ms slices taken in turn (A B C A B C ..., the order reversed every
 * other round), so the machine's load changes hit every variant alike; the ratio is taken within
 * each round and the median over `--rounds` is reported, with the range.
 *
 *   node --import tsx bench/models.bench.ts [--seconds 1] [--rounds 5]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadReferenceModel, referenceModelFromBytes, type ReferenceModel } from '../monitor/inference/index.ts';
import { MODELS_DIR } from '../fixtures/models/build.ts';
import { decodeModel, encodeModel, floatValueInfo } from '../fixtures/models/onnx-builder.ts';
import { createRng } from '../fixtures/servers/rng.ts';

interface Variant { name: string; model: ReferenceModel; labels: boolean }

/** The ZipMap fixture rebuilt with one float output: the ZipMap and the label's Cast dropped. */
function plainFloatModel(zipmapFile: string, probabilities: string): Uint8Array {
  const { graph, meta } = decodeModel(readFileSync(join(MODELS_DIR, zipmapFile)));
  const node = graph.node.filter((n) => n.opType !== 'ZipMap' && n.opType !== 'Cast');
  return encodeModel({ ...graph, node, output: [floatValueInfo(probabilities, ['N', 3])] }, {
    ...meta,
    extraOpsets: [{ domain: 'ai.onnx.ml', version: 3 }],
  });
}

async function family(zipmapFile: string, probabilities: string): Promise<Variant[]> {
  const plain = await referenceModelFromBytes(plainFloatModel(zipmapFile, probabilities), `${zipmapFile} (plain float)`);
  const adapted = await loadReferenceModel(join(MODELS_DIR, zipmapFile), { readLabel: false });
  return [
    { name: 'plain', model: plain, labels: false },
    { name: 'zipmap', model: adapted, labels: false },
    { name: 'zipmap+label', model: adapted, labels: true },
  ];
}

/** Rows predicted in about `ms` milliseconds, and the time it took. */
async function slice(v: Variant, batch: number, ms: number, data: Float64Array, at: { row: number }): Promise<{ rows: number; ms: number }> {
  const rowsAvailable = data.length / 4 - batch;
  let rows = 0;
  const started = performance.now();
  const until = started + ms;
  while (performance.now() < until) {
    await v.model.predict({ data: data.subarray(at.row * 4, (at.row + batch) * 4), rows: batch, cols: 4 }, { labels: v.labels });
    rows += batch;
    at.row = (at.row + batch) % rowsAvailable;
  }
  return { rows, ms: performance.now() - started };
}

/**
 * One round: every variant gets `seconds` in total, in 50 ms slices taken in turn (A B C A B C ...),
 * so a change in the machine's load hits all of them alike. Rows/s per variant.
 */
async function round(variants: readonly Variant[], batch: number, seconds: number, data: Float64Array, reverse: boolean): Promise<number[]> {
  const totals = variants.map(() => ({ rows: 0, ms: 0 }));
  const order = variants.map((_, i) => i);
  if (reverse) order.reverse();
  const at = { row: 0 };
  for (let s = 0; s < Math.max(1, Math.round((seconds * 1000) / SLICE_MS)); s++) {
    for (const i of order) {
      const r = await slice(variants[i] as Variant, batch, SLICE_MS, data, at);
      const t = totals[i] as { rows: number; ms: number };
      t.rows += r.rows;
      t.ms += r.ms;
    }
  }
  return totals.map((t) => t.rows / (t.ms / 1000));
}

const SLICE_MS = 50;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '1' }, rounds: { type: 'string', default: '5' } } });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const rng = createRng(1);
  const data = Float64Array.from({ length: 4096 * 4 }, () => rng.normal() * 1.5);
  const families = [
    { name: 'LogisticRegression (LinearClassifier)', variants: await family('sklearn-logreg-zipmap.onnx', 'probabilities') },
    { name: 'LightGBM-style trees (TreeEnsembleClassifier, 12 trees)', variants: await family('lightgbm-trees-zipmap.onnx', 'probability_tensor') },
  ];
  console.log(`# models bench: ${rounds} alternating rounds of ${seconds} s per variant; node ${process.version}`);
  console.log('| model | batch | variant | rows/s (median) | ratio vs plain (median of rounds) | ratio range |');
  console.log('| --- | ---: | --- | ---: | ---: | --- |');
  for (const f of families) {
    for (const batch of [1, 32]) {
      await round(f.variants, batch, 0.3, data, false); // warm-up
      const perRound: number[][] = f.variants.map(() => []);
      for (let r = 0; r < rounds; r++) {
        (await round(f.variants, batch, seconds, data, r % 2 === 1)).forEach((x, i) => perRound[i]?.push(x));
      }
      const plain = perRound[0] as number[];
      f.variants.forEach((v, i) => {
        const own = perRound[i] as number[];
        const ratios = own.map((x, r) => x / (plain[r] as number));
        const range = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
        console.log(`| ${f.name} | ${batch} | ${v.name} | ${Math.round(median(own)).toLocaleString('en-US')} | ${i === 0 ? '1 (peer)' : `${median(ratios).toFixed(2)}×`} | ${i === 0 ? '' : range} |`);
      });
    }
    await (f.variants[0] as Variant).model.close();
    await (f.variants[1] as Variant).model.close();
  }
}

await main();
