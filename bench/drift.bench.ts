/**
 * `npm run bench:drift` — drift engine timings, each case in its own process (so peak RSS is
 * per case), with a peer measured in the same run:
 *   - MMD permutation test, n_ref = n_cur = 1,000, d = 64, B = 100, vs the naive algorithm
 *     (alibi-detect's: re-index the whole pooled N×N kernel matrix once per permutation, same
 *     permutations, same kernel matrix code);
 *   - MMD at 2,000 + 2,000 and 5,000 + 5,000 (peak memory);
 *   - each MMD case also through createMmdTestOrt (the whole evaluation — distances, kernel, the
 *     B permutation sums as GEMMs — in one onnxruntime-node call) — same permutations, p-values
 *     printed side by side;
 *   - KS over 64 features at n = 10,000 (exact p-values), vs the same with the built-in sort;
 *   - the 2,000 × 64 pairwise squared-distance matrix: the JS tiles vs onnxruntime-node's Gemm
 *     (float32 and float64), the alternative the issue names.
 *   - the one-shot command as a user runs it (case cli-1000): `vigil drift test` (compiled entry,
 *     needs `npm run build`) at 1,000 + 1,000 rows, d = 64, B = 100 — its timingsMs.mmd and its whole
 *     wall time, with --mmd-backend auto (js here) and onnxruntime — in alternating rounds with
 *     numpy's batched form of the same test (bench/drift-mmd-numpy.py, python3 with numpy).
 * Wall time and process CPU time are both reported (the machine may be shared: CPU time is the
 * steadier figure). Median of the repetitions. CASES=a,b runs only those cases (e.g. CASES=cli-1000).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { gemmTransBModel } from '../monitor/drift/onnx-graph.ts';
import { createMmdTestOrt } from '../monitor/drift/mmd-ort.ts';
import { fileURLToPath } from 'node:url';
import {
  createMmdTest, createRng, drawSubset, forEachDistanceTile, gammasOf, ksTwoSampleSorted, rbf, rowSquaredNorms, ksPerFeature, columnMajor, createKsTest, type Matrix,
} from '../monitor/drift/index.ts';
import { normalMatrix } from '../test/drift/data.ts';

interface Timing { wallMs: number; cpuMs: number }

function measure(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

function median(ts: Timing[]): Timing {
  const mid = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] as number; };
  return { wallMs: mid(ts.map((t) => t.wallMs)), cpuMs: mid(ts.map((t) => t.cpuMs)) };
}

function repeat(reps: number, fn: () => void, warmups = 1): Timing {
  for (let w = 0; w < warmups; w++) fn(); // warm-up (JIT)
  return median(Array.from({ length: reps }, () => measure(fn)));
}

/** Naive peer: full pooled N×N kernel (zero diagonal), then per permutation a re-indexed copy and three block sums. */
function naiveMmd(ref: Matrix, cur: Matrix, sigma: number[], permutations: number, seed: number): Float64Array {
  const n = ref.rows, m = cur.rows, N = n + m, d = ref.cols;
  const pooled: Matrix = { data: new Float64Array(N * d), rows: N, cols: d };
  pooled.data.set(ref.data); pooled.data.set(cur.data, n * d);
  const norms = rowSquaredNorms(pooled);
  const gammas = gammasOf(sigma);
  const K = new Float64Array(N * N);
  forEachDistanceTile(pooled, norms, pooled, norms, false, (i0, i1, j0, j1, tile) => {
    for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) K[i * N + j] = i === j ? 0 : rbf(tile[(i - i0) * (j1 - j0) + (j - j0)] as number, gammas);
  });
  const rng = createRng(seed);
  const scratch = Int32Array.from({ length: N }, (_, i) => i);
  const subset = new Int32Array(m);
  const order = new Int32Array(N);
  const buf = new Float64Array(N * N);
  const out = new Float64Array(permutations);
  for (let p = 0; p < permutations; p++) {
    const s = drawSubset(rng, scratch, m, subset);
    const inY = new Uint8Array(N);
    for (const i of s) inY[i] = 1;
    let k = 0;
    for (let i = 0; i < N; i++) if (!inY[i]) order[k++] = i;
    order.set(s, k);
    for (let i = 0; i < N; i++) { const src = (order[i] as number) * N; for (let j = 0; j < N; j++) buf[i * N + j] = K[src + (order[j] as number)] as number; }
    let xx = 0, yy = 0, xy = 0;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
      const v = buf[i * N + j] as number;
      if (i < n) { if (j < n) xx += v; } else if (j >= n) yy += v; else xy += v;
    }
    out[p] = xx / (n * (n - 1)) + yy / (m * (m - 1)) - (2 * xy) / (n * m);
  }
  return out;
}

async function measureAsync(reps: number, fn: () => Promise<void>): Promise<Timing> {
  await fn();
  const ts: Timing[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const c = process.cpuUsage(c0);
    ts.push({ wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 });
  }
  return median(ts);
}

/** The 2,000 × 64 pairwise squared-distance matrix: JS tiles (Float64) vs onnxruntime-node's Gemm. */
async function gemmCase(): Promise<Record<string, unknown>> {
  const x = normalMatrix(2000, 64, 5);
  const norms = rowSquaredNorms(x);
  const js = repeat(5, () => { forEachDistanceTile(x, norms, x, norms, false, () => undefined); });
  const out: Record<string, unknown> = { case: 'gemm-2000', js };
  for (const precision of ['float32', 'float64'] as const) {
    const session = await ort.InferenceSession.create(gemmTransBModel(precision), { intraOpNumThreads: 1 });
    const data = precision === 'float32' ? Float32Array.from(x.data) : x.data;
    const a = new ort.Tensor(precision, data, [2000, 64]);
    const nf = precision === 'float32' ? Float32Array.from(norms) : norms;
    out[precision] = await measureAsync(5, async () => {
      const y = (await session.run({ A: a, B: a })).Y?.data as Float32Array | Float64Array;
      for (let i = 0; i < 2000; i++) for (let j = 0; j < 2000; j++) y[i * 2000 + j] = Math.max(0, (nf[i] as number) + (nf[j] as number) - 2 * (y[i * 2000 + j] as number));
    });
    await session.release();
  }
  return out;
}

/** A matrix as CSV with a header (f0..f{d-1}), as `vigil drift test` and the numpy peer read it. */
function toCsv(x: Matrix): string {
  const lines = [Array.from({ length: x.cols }, (_, c) => `f${c}`).join(',')];
  for (let r = 0; r < x.rows; r++) lines.push(Array.from(x.data.subarray(r * x.cols, (r + 1) * x.cols), (v) => v.toFixed(6)).join(','));
  return `${lines.join('\n')}\n`;
}

/** `vigil drift test` one-shot beside numpy's batched form, alternating rounds (ROUNDS, default 5). */
function cliCase(self: string): void {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'vigil-drift-bench-'));
  const ref = join(dir, 'ref.csv'), cur = join(dir, 'cur.csv');
  writeFileSync(ref, toCsv(normalMatrix(1000, 64, 1)));
  writeFileSync(cur, toCsv(normalMatrix(1000, 64, 2, 0, 0.05)));
  const rounds = Number(process.env.ROUNDS ?? 5);
  const rows: Record<string, { mmd: number[]; wall: number[]; cpu: number[]; p: string }> = {};
  const add = (k: string, mmd: number, wall: number, cpu: number, p: string): void => {
    const r = (rows[k] ??= { mmd: [], wall: [], cpu: [], p });
    r.mmd.push(mmd); r.wall.push(wall); r.cpu.push(cpu);
  };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const backend of ['auto', 'onnxruntime']) {
        const t0 = performance.now();
        const child = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, join(root, 'bin/vigil.js'), 'drift', 'test', '--reference', ref, '--current', cur, '--json', '--mmd-backend', backend], { encoding: 'utf8' });
        const wall = performance.now() - t0;
        if (child.status !== 0 && child.status !== 99) throw new Error(`vigil drift test exited ${child.status}: ${child.stderr}`);
        const result = JSON.parse(child.stdout) as { timingsMs: { mmd: number }; mmd: { pValue: number } };
        const m = /cpu (\S+) (\S+)\s*$/.exec(child.stderr);
        add(`vigil drift test --mmd-backend ${backend}`, result.timingsMs.mmd, wall, (Number(m?.[1]) + Number(m?.[2])) * 1000, String(result.mmd.pValue));
      }
      const t0 = performance.now();
      const py = spawnSync('/usr/bin/python3', [join(self, '../drift-mmd-numpy.py'), ref, cur], { encoding: 'utf8' });
      const wall = performance.now() - t0;
      const m = /wall (\S+) ms cpu (\S+) ms p=(\S+)/.exec(py.stdout);
      if (py.status !== 0 || !m) throw new Error(`numpy peer failed: ${py.stderr}`);
      add('numpy batched (python3 bench/drift-mmd-numpy.py)', Number(m[1]), wall, Number(m[2]), m[3] as string);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mid = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] as number; };
  console.log(`cli-1000 (1,000 + 1,000 rows, d = 64, B = 100; ${rounds} alternating rounds, medians [min–max]):`);
  console.log('| command | MMD test (timingsMs.mmd; numpy: the test in-process) | whole process wall | CPU (vigil: whole process; numpy: the test) | p-value |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [k, r] of Object.entries(rows)) {
    const f = (xs: number[]): string => `${mid(xs).toFixed(0)} ms [${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}]`;
    console.log(`| ${k} | ${f(r.mmd)} | ${f(r.wall)} | ${mid(r.cpu).toFixed(0)} ms | ${r.p} |`);
  }
}

async function runCase(name: string): Promise<Record<string, unknown>> {
  if (name === 'gemm-2000') return gemmCase();
  if (name.startsWith('mmd-')) {
    const n = Number(name.slice(4));
    const ref = normalMatrix(n, 64, 1);
    const cur = normalMatrix(n, 64, 2, 0, 0.05);
    const opts = { permutations: 100, seed: 7, alpha: 0.05 };
    const reps = n <= 1000 ? 7 : n <= 2000 ? 3 : 1;
    let mmd = createMmdTest(ref, opts);
    const setup = repeat(reps, () => { mmd = createMmdTest(ref, opts); });
    let pEngine = 0;
    const test = repeat(reps, () => { pEngine = mmd.test(cur).pValue; });
    const viaOrt = await createMmdTestOrt(ref, opts);
    let pOrt = 0;
    const testOrt = await measureAsync(reps, async () => { pOrt = (await viaOrt.test(cur)).pValue; });
    const out: Record<string, unknown> = { case: name, setup, test, testOrt, pValue: pEngine, pValueOrt: pOrt };
    if (n <= 1000) {
      // The min-p set recommended for correlation changes: three bandwidths, three evaluations.
      const minp = await createMmdTestOrt(ref, { ...opts, sigmaScale: [0.5, 1, 2], aggregate: 'minp' });
      out.testOrtMinp = await measureAsync(reps, async () => { await minp.test(cur); });
      out.testMinp = repeat(3, () => { createMmdTest(ref, { ...opts, sigmaScale: [0.5, 1, 2], aggregate: 'minp' }).test(cur); });
      let naive: Float64Array = new Float64Array();
      out.naive = repeat(2, () => { naive = naiveMmd(ref, cur, mmd.sigma, 100, 7); });
      const detailed = mmd.testDetailed(cur);
      out.maxPermutedDiff = Math.max(...naive.map((v, i) => Math.abs(v - (detailed.permuted[i] as number))));
    }
    out.peakRssMiB = process.resourceUsage().maxRSS / 1024;
    return out;
  }
  const ref = normalMatrix(10000, 64, 3);
  const cur = normalMatrix(10000, 64, 4, 5, 0.05);
  const ks = repeat(5, () => { ksPerFeature(ref, cur, { alpha: 0.05, correction: 'bonferroni' }); });
  const builtinSort = repeat(5, () => {
    const a = columnMajor(ref), b = columnMajor(cur);
    for (let c = 0; c < 64; c++) ksTwoSampleSorted(a.slice(c * 10000, (c + 1) * 10000).sort(), b.slice(c * 10000, (c + 1) * 10000).sort());
  });
  const prepared = createKsTest(ref, { alpha: 0.05, correction: 'bonferroni' });
  // The monitor's path: one prepared reference, window after window. The first calls run before
  // V8 has optimised the rank loop (~1.5x slower); the steady state is what a monitor lives in.
  const reusedFirst = measure(() => { createKsTest(ref, { alpha: 0.05, correction: 'bonferroni' }).test(cur); });
  const reused = repeat(11, () => { prepared.test(cur); }, 5);
  return { case: name, ks, builtinSort, reused, reusedFirst, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
}

const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  process.stdout.write(`${JSON.stringify(await runCase(process.argv[caseArg + 1] as string))}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  const only = process.env.CASES?.split(',');
  const f = (t: unknown): string => { const x = t as Timing; return `${x.wallMs.toFixed(1)} ms wall / ${x.cpuMs.toFixed(1)} ms cpu`; };
  for (const name of ['gemm-2000', 'mmd-1000', 'mmd-2000', 'mmd-5000', 'ks-64x10000', 'cli-1000']) {
    if (only && !only.includes(name)) continue;
    if (name === 'cli-1000') { cliCase(self); continue; }
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--case', name], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) { process.stderr.write(child.stderr); process.exitCode = 1; continue; }
    const r = JSON.parse(child.stdout) as Record<string, unknown>;
    if (name === 'gemm-2000') {
      const js = r.js as Timing, f32 = r.float32 as Timing, f64 = r.float64 as Timing;
      console.log(`${name} (2,000 x 64 pairwise squared distances): JS tiles Float64 ${f(js)}; onnxruntime-node Gemm float32 ${f(f32)} (${(js.cpuMs / f32.cpuMs).toFixed(1)}x cpu), float64 ${f(f64)} (${(js.cpuMs / f64.cpuMs).toFixed(1)}x cpu)`);
    } else if (name.startsWith('mmd-')) {
      console.log(`${name} (d=64, B=100): setup (median sigma + reference block) ${f(r.setup)}; test(current) ${f(r.test)}; test(current) with the permutation product on onnxruntime ${f(r.testOrt)}; peak RSS ${(r.peakRssMiB as number).toFixed(0)} MiB; p-values ${String(r.pValue)} / ${String(r.pValueOrt)}`);
      if (r.naive) {
        const naive = r.naive as Timing, test = r.test as Timing, setup = r.setup as Timing;
        const testOrt = r.testOrt as Timing;
        console.log(`  min-p over 0.5x,1x,2x the median bandwidth: onnxruntime path test(current) ${f(r.testOrtMinp)}; JS path setup+test ${f(r.testMinp)}`);
        console.log(`  naive per-permutation re-indexing: ${f(naive)}; speed-up vs engine test(): ${(naive.wallMs / test.wallMs).toFixed(1)}x wall, ${(naive.cpuMs / test.cpuMs).toFixed(1)}x cpu; vs engine setup+test: ${(naive.cpuMs / (test.cpuMs + setup.cpuMs)).toFixed(1)}x cpu; vs onnxruntime path test(): ${(naive.wallMs / testOrt.wallMs).toFixed(1)}x wall, ${(naive.cpuMs / testOrt.cpuMs).toFixed(1)}x cpu; max |permuted MMD² difference| ${(r.maxPermutedDiff as number).toExponential(1)}`);
      }
    } else {
      const ks = r.ks as Timing, peer = r.builtinSort as Timing;
      console.log(`${name} (exact p-values): ${f(ks)}; with the built-in sort ${f(peer)} (ratio ${(peer.cpuMs / ks.cpuMs).toFixed(2)}x cpu); createKsTest(reference prepared once).test(current) ${f(r.reused)} (steady state; the very first call in a fresh process, preparation included: ${f(r.reusedFirst)})`);
    }
  }
}
