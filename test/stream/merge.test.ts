import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../common/rng.ts';
import { mergeResults } from '../../load/merge.ts';
import { decodeHistogram, resolveLoadOptions, runLoad, type LoadResult } from '../../load/index.ts';
import { StreamRecorder } from '../../load/stream/stream-recorder.ts';
import type { StreamSample } from '../../load/stream/sample.ts';
import { startLlmServer } from '../../fixtures/servers/index.ts';
import { buildResult, syntheticSamples } from '../report/build-result.ts';
import { runVigil, testOutputDir } from '../helpers/cli.ts';

const T0 = new Date('2026-01-05T10:00:00.000Z');
const DURATION_S = 20;
const N = 6000;
const EP = 'POST /v1/chat/completions';

/** Seeded synthetic LLM answers: lognormal TTFT with a slow tail, 1–64 tokens, lognormal gaps; a third without usage. */
function streamSamples(seed: number): { s: StreamSample; atMs: number }[] {
  const rng = createRng(seed);
  return Array.from({ length: N }, (_, i) => {
    const tokens = 1 + Math.floor(rng.next() * 64);
    const ttftUs = Math.exp(Math.log(80_000) + 0.6 * rng.normal()) + (rng.next() < 0.02 ? 900_000 : 0);
    const gapsUs = Array.from({ length: tokens - 1 }, () => Math.exp(Math.log(12_000) + 0.3 * rng.normal()));
    const e2eUs = ttftUs + gapsUs.reduce((a, b) => a + b, 0);
    const atMs = ((i + 0.5) / N) * DURATION_S * 1000;
    return {
      atMs,
      s: {
        streamed: true, ttfbUs: 400 + 300 * rng.next(), ttftUs, tpotUs: tokens >= 2 ? (e2eUs - ttftUs) / (tokens - 1) : undefined, gapsUs,
        outputTokens: tokens, estimated: i % 3 === 0, inputTokens: 20 + (i % 7), firstTokenMs: atMs - e2eUs / 1000 + ttftUs / 1000, contentChunks: tokens,
      },
    };
  });
}

const samples = streamSamples(21);
const http = syntheticSamples(N, DURATION_S, 5).map((x) => ({ ...x, endpoint: EP, status: 200 as const }));

/** A result whose stream block holds `pick`ed answers, recorded as the engine records them. */
function resultOf(pick: (i: number) => boolean, rate: number): LoadResult {
  const rec = new StreamRecorder();
  for (let i = 0; i < N; i++) if (pick(i)) rec.record(EP, (samples[i] as { s: StreamSample }).s, (samples[i] as { atMs: number }).atMs);
  const r = buildResult(http.filter((_, i) => pick(i)), { startedAt: T0, durationS: DURATION_S, rate });
  r.summary.stream = rec.overall.summary(DURATION_S);
  r.summary.goodput = { slo: ['ttft<200ms'], requests: samples.filter((x, i) => pick(i) && (x.s.ttftUs as number) < 200_000).length, perS: 0, attainment: 0 };
  (r.endpoints[EP] as { stream?: unknown }).stream = rec.endpointSummary(EP, DURATION_S);
  r.intervals = r.intervals.map((iv) => ({ ...iv, ...(rec.intervalSummary(iv.t - 1, true) ? { stream: rec.intervalSummary(iv.t - 1, true) } : {}) }));
  return r;
}

const strip = (r: LoadResult): unknown => {
  const { histograms: _h, ...stream } = r.summary.stream ?? ({} as NonNullable<LoadResult['summary']['stream']>);
  return { stream, intervals: r.intervals.map((iv) => ({ ...iv.stream, histogram: undefined })) };
};

test('merge: two shards\' TTFT/ITL/TPOT/TTFB histograms add up to one run\'s, exactly; counts and tokens/s too', () => {
  const whole = resultOf(() => true, 300);
  const merged = mergeResults([resultOf((i) => i % 2 === 0, 150), resultOf((i) => i % 2 === 1, 150)]);
  assert.deepEqual(strip(merged), strip(whole));
  for (const k of ['ttft', 'itl', 'tpot', 'ttfb'] as const) {
    const a = decodeHistogram(merged.summary.stream?.histograms[k] as string);
    const b = decodeHistogram(whole.summary.stream?.histograms[k] as string);
    assert.equal(a.totalCount, b.totalCount, k);
    for (const p of [10, 50, 90, 99, 99.9, 100]) assert.equal(a.getValueAtPercentile(p), b.getValueAtPercentile(p), `${k} p${p}`);
  }
  // Independent reference: the sorted raw TTFTs and gaps, within HDR's 0.1 %.
  const rank = (sorted: number[], p: number): number => sorted[Math.max(0, Math.round((p / 100) * sorted.length) - 1)] as number;
  const ttft = samples.map((x) => x.s.ttftUs as number).sort((a, b) => a - b);
  const itl = samples.flatMap((x) => x.s.gapsUs).sort((a, b) => a - b);
  for (const [key, p] of [['p50', 50], ['p99', 99], ['p999', 99.9]] as const) {
    const m = merged.summary.stream as NonNullable<LoadResult['summary']['stream']>;
    assert.ok(Math.abs(m.ttftMs[key] - rank(ttft, p) / 1000) <= (rank(ttft, p) / 1000) * 0.001 + 0.001, `ttft ${key}`);
    assert.ok(Math.abs(m.itlMs[key] - rank(itl, p) / 1000) <= (rank(itl, p) / 1000) * 0.001 + 0.001, `itl ${key}`);
  }
  assert.equal(merged.summary.stream?.outputTokens.source, 'mixed');
  assert.equal(merged.summary.stream?.outputTokens.estimatedRequests, N / 3);
  assert.equal(merged.summary.goodput?.requests, whole.summary.goodput?.requests);
  assert.equal(merged.summary.goodput?.attainment, (whole.summary.goodput?.requests ?? 0) / N);
  assert.deepEqual(merged.endpoints[EP]?.stream?.ttftMs, whole.endpoints[EP]?.stream?.ttftMs);
  assert.equal(merged.endpoints[EP]?.stream?.outputTokensPerS, whole.endpoints[EP]?.stream?.outputTokensPerS);
});

test('vigil load merge on two real shards run at once: TTFT histograms add up, and a TTFT threshold exits 99', async (t) => {
  const server = await startLlmServer({ ttft: { kind: 'lognormal', medianMs: 15, sigma: 0.4 }, itl: { kind: 'fixed', ms: 2 }, seed: 2 });
  t.after(() => server.close());
  const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8, stream: true, stream_options: { include_usage: true } });
  const shard = () => runLoad(resolveLoadOptions({ target: server.url, path: '/v1/chat/completions', body, rate: '30', requests: '45', progress: 'none', arrival: 'poisson' }));
  const parts = await Promise.all([shard(), shard()]);
  const dir = testOutputDir('stream-merge');
  const files = parts.map((r, i) => { const f = join(dir, `shard-${i}.json`); writeFileSync(f, JSON.stringify(r)); return f; });
  const out = join(dir, 'merged.json');
  const run = await runVigil(['load', 'merge', ...files, '--out', out, '--threshold', 'ttft_p99<1ms', '--threshold', 'output_tokens_per_s>1']);
  assert.equal(run.code, 99, run.stderr);
  const merged = JSON.parse(readFileSync(out, 'utf8')) as LoadResult;
  assert.deepEqual(merged.thresholds.map((x) => x.ok), [false, true]);
  assert.equal(merged.summary.stream?.requests, 90);
  assert.equal(merged.summary.stream?.outputTokens.total, 720);
  assert.equal(decodeHistogram(merged.summary.stream?.histograms.ttft as string).totalCount, 90);
  assert.equal(merged.summary.stream?.ttftMs.max, Math.max(...parts.map((p) => p.summary.stream?.ttftMs.max ?? 0)));
  assert.match(run.stdout, /TTFT/);
});

test('a result file whose stream block lacks what merge reads is refused when read', async () => {
  const { parseLoadResult } = await import('../../load/index.ts');
  const r = resultOf((i) => i < 100, 10);
  const good = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
  assert.ok(parseLoadResult(good).summary.stream);
  const bad = JSON.parse(JSON.stringify(r)) as { summary: { stream: Record<string, unknown> } };
  delete bad.summary.stream['histograms'];
  assert.throws(() => parseLoadResult(bad), { code: 'VIGIL_RESULT_INVALID' });
  const oldFile = JSON.parse(JSON.stringify(r)) as { summary: { stream?: unknown; errors: { byClass: Record<string, number> } } };
  delete oldFile.summary.stream;
  delete oldFile.summary.errors.byClass['stream'];
  assert.equal(parseLoadResult(oldFile).summary.errors.byClass.stream, 0, 'results written before the stream class read as 0');
});
