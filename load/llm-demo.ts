/**
 * `vigil demo llm`: the fixture LLM server (OpenAI-compatible, 8 sequences per batch, a few
 * injected stream errors) and a load run against it from the synthetic ShareGPT prompts: Poisson
 * arrivals ramping up past the server's capacity, so the batch fills, requests queue and TTFT climbs
 * — visible because every latency is measured from the intended start. Prints progress, the
 * summary with its stream block, what happened to TTFT, and writes the result and the HTML report.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { writeLinesAtomic, writeFileAtomic } from '../common/atomic-write.ts';
import { startLlmServer } from '../fixtures/servers/index.ts';
import { createProgressPrinter } from './progress.ts';
import { convertPrompts, resolvePromptsOptions } from './prompts/index.ts';
import { renderLoadReport } from './report/index.ts';
import { resolveLoadOptions } from './resolve.ts';
import { runLoad } from './engine.ts';
import { writeLoadResult } from './result-file.ts';
import { formatSummaryTable } from './summary-table.ts';
import { packageRoot } from '../common/package-root.ts';
import type { LoadResult } from './result.ts';

const PROMPTS = join(packageRoot(import.meta.url), 'fixtures/prompts/sharegpt-synthetic.json');

export interface LlmDemoOptions {
  outDir: string;
  durationMs: number;
  /** Arrival rate reached at the end of the ramp, requests/s. */
  peakRate: number;
  write: (line: string) => void;
  /** Progress lines (stderr in the CLI). */
  progress?: NodeJS.WritableStream;
}

export interface LlmDemoResult { result: LoadResult; resultFile: string; reportFile: string; replayFile: string }

export async function runLlmDemo(o: LlmDemoOptions): Promise<LlmDemoResult> {
  mkdirSync(o.outDir, { recursive: true });
  const replayFile = join(o.outDir, 'llm-chat.jsonl');
  const prompts = await convertPrompts(resolvePromptsOptions(PROMPTS, { model: 'vigil-fixture-llm' }));
  writeLinesAtomic(replayFile, prompts.lines.map((l) => JSON.stringify(l)));
  const server = await startLlmServer({
    ttft: { kind: 'lognormal', medianMs: 40, sigma: 0.4 }, itl: { kind: 'lognormal', medianMs: 6, sigma: 0.3 },
    maxBatch: 8, streamErrors: { rate: 0.02, kind: 'event' }, seed: 7,
  });
  try {
    o.write(`fixture LLM server: ${server.url} (OpenAI-compatible; TTFT ~40 ms, ~6 ms a token, 8 sequences per batch, 2 % of streams fail)`);
    o.write(`replaying ${prompts.lines.length} ShareGPT prompts (${replayFile}) with Poisson arrivals ramping 1 → ${o.peakRate} req/s over ${o.durationMs / 1000} s`);
    const half = Math.round(o.durationMs / 2);
    const options = resolveLoadOptions({
      target: server.url, replay: replayFile, stages: `${half}ms:${Math.max(1, Math.round(o.peakRate / 3))},${o.durationMs - half}ms:${o.peakRate}`,
      arrival: 'poisson', seed: '7', slo: ['ttft<500ms', 'tpot<25ms'], threshold: ['ttft_p50<500ms', 'error_rate<5%'], name: 'chat', progress: 'plain',
    });
    const printer = createProgressPrinter('plain', o.progress ?? process.stderr);
    const result = await runLoad(options, { onProgress: (p) => printer.update(p) });
    printer.done();
    const resultFile = join(o.outDir, 'llm-result.json');
    const reportFile = join(o.outDir, 'llm-report.html');
    writeLoadResult(resultFile, result);
    writeFileAtomic(reportFile, renderLoadReport(result));
    o.write('');
    for (const line of formatSummaryTable(result).trimEnd().split('\n')) o.write(line);
    o.write('');
    o.write(story(result));
    o.write(`result: ${resultFile}`);
    o.write(`report: ${reportFile} (open it in a browser: TTFT and tokens/s over time)`);
    return { result, resultFile, reportFile, replayFile };
  } finally {
    await server.close();
  }
}

/** What the run shows: TTFT early vs late in the ramp (as the batch fills, requests queue). */
function story(r: LoadResult): string {
  const ivs = r.intervals.filter((iv) => iv.stream && iv.stream.requests > 0);
  if (ivs.length < 4) return 'too short a run to compare the start and the end of the ramp';
  const quarter = Math.max(1, Math.floor(ivs.length / 4));
  const worst = (xs: typeof ivs): number => Math.max(...xs.map((iv) => iv.stream?.ttftMs.p99 ?? 0));
  const early = worst(ivs.slice(0, quarter));
  const late = worst(ivs.slice(-quarter));
  return `TTFT P99 per second: ≤ ${early.toFixed(0)} ms in the first quarter of the ramp, up to ${late.toFixed(0)} ms in the last — ` +
    `as arrivals outgrow the 8-sequence batch, requests queue in the server, and TTFT measured from the intended start shows it.`;
}
