import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFixtureServer } from '../fixtures/servers/index.ts';
import { formatSummaryTable, resolveLoadOptions, runLoad, writeLoadResult } from '../load/index.ts';
import type { LoadResult } from '../load/index.ts';
import { parseMonitorConfig } from './config.ts';
import { verdictOf } from './engine.ts';
import { createLogger } from './logger.ts';
import { readReferenceSet } from './state/reference-set.ts';
import { packageRoot } from '../common/package-root.ts';
import { startMonitor } from './service.ts';

const ROOT = packageRoot(import.meta.url);
const MODEL = join(ROOT, 'fixtures/models/classifier.onnx');
const DATA = join(ROOT, 'fixtures/datasets');

export interface DemoOptions {
  outDir: string;
  /** Total load duration, ms; the traffic drifts half way. */
  durationMs: number;
  /** Requests per second (each carries `rowsPerRequest` input rows). */
  rate: number;
  rowsPerRequest: number;
  /** Monitor port (0: a free one). */
  port: number;
  write: (line: string) => void;
}

export interface DemoResult { load: LoadResult; verdicts: { atS: number; verdict: string }[]; resultFile: string }

/**
 * The demo: the fixture model server serving the classifier ONNX model, the monitor in proxy
 * mode in front of it (same model as reference), and a replay of recorded traffic through the
 * monitor whose inputs drift (mean shift on f3, f7, f12) half way. Prints each change of the drift
 * verdict and where to look; ends by itself.
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  mkdirSync(opts.outDir, { recursive: true });
  const traffic = join(opts.outDir, 'demo-traffic.jsonl');
  const total = Math.max(2, Math.round((opts.durationMs / 1000) * opts.rate));
  writeFileSync(traffic, replayLines(total, opts.rate, opts.rowsPerRequest).join('\n') + '\n');

  const upstream = await startFixtureServer({ model: { path: MODEL }, serviceTime: { kind: 'lognormal', medianMs: 4, sigma: 0.4 }, seed: 7 });
  const tokens = { VIGIL_VIEWER_TOKEN: `viewer-${randomBytes(6).toString('hex')}`, VIGIL_ADMIN_TOKEN: `admin-${randomBytes(6).toString('hex')}` };
  const config = parseMonitorConfig({
    model: MODEL, reference: join(DATA, 'reference.jsonl'), upstream: upstream.url, port: opts.port,
    window: 300, evaluateEvery: 150, evaluateInterval: '5s', minSamples: 100, logLevel: 'warn', watch: { gpu: false },
  }, 'demo');
  const monitor = await startMonitor(config, { env: tokens, logger: createLogger('warn') });
  const started = Date.now();
  const verdicts: { atS: number; verdict: string }[] = [];
  let lastKey: string | undefined;
  const onEvaluation = (e: Parameters<typeof verdictOf>[0]): void => {
    // Printed when the coarse verdict changes (drift yes/no per stream, parity), not on every
    // flicker of a single test near alpha.
    const key = `${e.inputs.detected}/${e.outputs?.detected}/${e.parity?.degraded}`;
    if (lastKey === key) return;
    lastKey = key;
    const verdict = verdictOf(e);
    const atS = (Date.now() - started) / 1000;
    verdicts.push({ atS, verdict });
    const mmd = e.inputs.mmd.pValue.toPrecision(2);
    const flagged = e.inputs.ks.features.filter((f) => f.drift).map((f) => f.name);
    opts.write(`[${atS.toFixed(1).padStart(5)} s] verdict: ${verdict}  (MMD p=${mmd}${flagged.length ? `; KS flags ${flagged.join(', ')}` : ''}; window ${e.windowSamples})`);
  };
  monitor.engine.on('evaluation', onEvaluation);
  try {
    opts.write(`fixture model server (classifier.onnx) on ${upstream.url}`);
    opts.write(`monitor (proxy mode, reference: fixtures/datasets/reference.jsonl) on ${monitor.url}`);
    opts.write(`  live page: ${monitor.url}/#token=${tokens.VIGIL_VIEWER_TOKEN}`);
    opts.write(`  metrics:   ${monitor.url}/metrics   (vigil_drift_*, vigil_parity_*, vigil_upstream_*)`);
    opts.write(`  history:   curl -H 'authorization: Bearer ${tokens.VIGIL_VIEWER_TOKEN}' ${monitor.url}/v1/drift`);
    opts.write(`replaying ${total} requests (${opts.rowsPerRequest} rows each) at ${opts.rate}/s through ${monitor.url}/predict; the inputs drift at ${(opts.durationMs / 2000).toFixed(0)} s`);
    const load = await runLoad(resolveLoadOptions({ target: monitor.url, replay: traffic, timing: 'original', speed: '1', timeout: '10s', progress: 'none', threshold: ['error_rate<1%'] }));
    // Whatever arrived after the last scheduled evaluation is evaluated once more.
    await monitor.engine.evaluate();
    const resultFile = join(opts.outDir, 'demo-load-result.json');
    writeLoadResult(resultFile, load);
    opts.write('');
    opts.write(formatSummaryTable(load).trimEnd());
    opts.write('');
    opts.write(`load result: ${resultFile}`);
    const first = verdicts.find((v) => v.verdict.startsWith('inputs: drift'));
    opts.write(first ? `input drift detected ${first.atS.toFixed(1)} s after start (traffic changed at ${(opts.durationMs / 2000).toFixed(0)} s)` : 'no input drift was detected');
    return { load, verdicts, resultFile };
  } finally {
    monitor.engine.off('evaluation', onEvaluation);
    await monitor.close();
    await upstream.close();
  }
}

/** JSONL replay lines: clean rows for the first half, mean-shifted rows after; `t` spaces them at `rate`/s. */
function replayLines(total: number, rate: number, rowsPerRequest: number): string[] {
  const clean = rowsOf(join(DATA, 'current-clean.jsonl'));
  const shifted = rowsOf(join(DATA, 'drift-mean-shift.jsonl'));
  return Array.from({ length: total }, (_, i) => {
    const source = i < total / 2 ? clean : shifted;
    const inputs = Array.from({ length: rowsPerRequest }, (_, k) => source[(i * rowsPerRequest + k) % source.length]);
    return JSON.stringify({ method: 'POST', path: '/predict', headers: { 'content-type': 'application/json' }, body: { inputs }, t: i / rate });
  });
}

function rowsOf(file: string): number[][] {
  const m = readReferenceSet(file).inputs;
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), (x) => Math.round(x * 1e6) / 1e6));
}
