import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLlmServer, type LlmRecord, type LlmServer } from '../../fixtures/servers/index.ts';
import { decodeHistogram, resolveLoadOptions, runLoad, type LoadInput, type LoadResult } from '../../load/index.ts';

const chatBody = (o: { stream?: boolean; usage?: boolean; maxTokens?: number } = {}): string => JSON.stringify({
  model: 'm', messages: [{ role: 'user', content: 'Say something about load testing, please.' }], max_tokens: o.maxTokens ?? 12,
  ...(o.stream === false ? {} : { stream: true }), ...(o.usage === false || o.stream === false ? {} : { stream_options: { include_usage: true } }),
});

async function run(server: LlmServer, extra: Partial<LoadInput> & { body?: string } = {}): Promise<{ r: LoadResult; recs: LlmRecord[] }> {
  await server.whenIdle();
  server.resetRecords();
  const r = await runLoad(resolveLoadOptions({ target: server.url, path: '/v1/chat/completions', body: chatBody(), rate: '40', requests: '40', progress: 'none', ...extra }));
  await server.whenIdle();
  const recs = server.records();
  return { r, recs };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

test('LLM run: tokens exact from usage, per request and in total; intervals add up; failures are class stream', async (t) => {
  const server = await startLlmServer({ ttft: { kind: 'fixed', ms: 5 }, itl: { kind: 'fixed', ms: 2 }, outputTokens: { kind: 'uniform', min: 1, max: 30 }, seed: 3 });
  t.after(() => server.close());
  const { r, recs } = await run(server, { body: chatBody({ maxTokens: 25 }) });
  const st = r.summary.stream;
  assert.ok(st);
  const ok = recs.filter((x) => x.outcome === 'ok');
  assert.equal(ok.length, 40);
  assert.equal(st.requests, 40);
  assert.equal(st.streamed, 40);
  assert.equal(st.outputTokens.total, sum(ok.map((x) => x.outputTokens)));
  assert.equal(st.outputTokens.source, 'usage');
  assert.equal(st.inputTokens.total, sum(ok.map((x) => x.promptTokens)));
  // every gap the server wrote is a gap the client saw; TPOT exists for answers of ≥ 2 tokens
  assert.equal(decodeCount(st.histograms.itl), sum(ok.map((x) => x.gapsMs.length)));
  assert.equal(decodeCount(st.histograms.tpot), ok.filter((x) => x.outputTokens >= 2).length);
  assert.equal(decodeCount(st.histograms.ttft), 40);
  const byInterval = sum(r.intervals.map((iv) => iv.stream?.outputTokensPerS ?? 0));
  assert.ok(Math.abs(byInterval - st.outputTokens.total) < 0.01, `intervals hold ${byInterval} of ${st.outputTokens.total} tokens`);
  assert.equal(r.endpoints['POST /v1/chat/completions']?.stream?.outputTokens.total, st.outputTokens.total);
  // latencies from the intended start: TTFT ≥ the server's own, TTFB ≤ TTFT ≤ E2E
  assert.ok(st.ttftMs.min >= Math.min(...ok.map((x) => x.ttftMs as number)) * 0.999);
  assert.ok(st.ttfbMs.p50 <= st.ttftMs.p50 && st.ttftMs.max <= r.summary.latencyMs.max);
});

function decodeCount(b64: string): number {
  return decodeHistogram(b64).totalCount;
}

test('LLM run: without usage, tokens are the chunk count, marked as an estimate (2 tokens a chunk: half the truth)', async (t) => {
  const server = await startLlmServer({ ttft: { kind: 'fixed', ms: 2 }, itl: { kind: 'fixed', ms: 1 }, tokensPerChunk: 2, seed: 4 });
  t.after(() => server.close());
  const { r, recs } = await run(server, { body: chatBody({ usage: false, maxTokens: 10 }), requests: '10', rate: '50' });
  const st = r.summary.stream;
  assert.equal(st?.outputTokens.source, 'chunks');
  assert.equal(st?.outputTokens.estimatedRequests, 10);
  assert.equal(sum(recs.map((x) => x.outputTokens)), 100);
  assert.equal(st?.outputTokens.total, 50);
});

test('LLM run: each injected stream failure is class stream and kept out of the stream statistics', async (t) => {
  const server = await startLlmServer({ ttft: { kind: 'fixed', ms: 2 }, itl: { kind: 'fixed', ms: 1 }, seed: 5 });
  t.after(() => server.close());
  for (const kind of ['event', 'chunk', 'no-done', 'cut'] as const) {
    server.setOptions({ streamErrors: { rate: 0.3, kind, afterTokens: 3 } });
    const { r, recs } = await run(server, { requests: '30', rate: '60' });
    const failed = recs.filter((x) => x.outcome === kind).length;
    assert.ok(failed > 0, `${kind}: the server failed some streams`);
    assert.equal(r.summary.errors.byClass.stream, failed, kind);
    assert.equal(r.summary.errors.total, failed, kind);
    assert.equal(r.summary.stream?.requests, 30 - failed, kind);
    assert.equal(r.summary.stream?.outputTokens.total, sum(recs.filter((x) => x.outcome === 'ok').map((x) => x.outputTokens)), kind);
    // a stream that ended (HTTP-wise) has a latency; a cut one does not
    assert.equal(decodeCount(r.histogram), kind === 'cut' ? 30 - failed : 30, kind);
  }
});

test('LLM run: --deadline ends a slow stream as a timeout, and the server sees the client go', async (t) => {
  const server = await startLlmServer({ ttft: { kind: 'fixed', ms: 30 }, itl: { kind: 'fixed', ms: 20 }, seed: 6 });
  t.after(() => server.close());
  const { r } = await run(server, { requests: '10', rate: '50', deadline: '100ms', body: chatBody({ maxTokens: 20 }) });
  assert.equal(r.summary.errors.byClass.timeout, 10);
  assert.equal(r.summary.stream?.requests ?? 0, 0);
  assert.equal(r.config['deadlineS'], 0.1);
  await server.whenIdle();
  assert.equal(server.records().length, 10);
  assert.ok(server.records().every((x) => x.outcome === 'client-gone' && x.outputTokens < 20));
});

test('LLM run: non-streamed answers give tokens from usage and no TTFT (a TTFT threshold cannot pass)', async (t) => {
  const server = await startLlmServer({ ttft: { kind: 'fixed', ms: 2 }, itl: { kind: 'fixed', ms: 1 }, seed: 7 });
  t.after(() => server.close());
  const { r, recs } = await run(server, { body: chatBody({ stream: false, maxTokens: 7 }), requests: '12', threshold: ['ttft_p99<1s', 'output_tokens_per_s>0'] });
  assert.equal(r.summary.stream?.requests, 12);
  assert.equal(r.summary.stream?.streamed, 0);
  assert.equal(r.summary.stream?.outputTokens.total, sum(recs.map((x) => x.outputTokens)));
  assert.deepEqual(r.thresholds.map((x) => x.ok), [false, true]);
  assert.ok(Number.isNaN(r.thresholds[0]?.value));
});

test('LLM run: goodput counts the answers within every SLO (TTFT 5 ms or 400 ms, SLO 200 ms: checked against the server record)', async (t) => {
  const server = await startLlmServer({
    ttft: { kind: 'mixture', components: [{ weight: 0.7, dist: { kind: 'fixed', ms: 5 } }, { weight: 0.3, dist: { kind: 'fixed', ms: 400 } }] },
    itl: { kind: 'fixed', ms: 1 }, seed: 8,
  });
  t.after(() => server.close());
  const { r, recs } = await run(server, { slo: ['ttft<200ms'], arrival: 'poisson', seed: '2', threshold: ['goodput>1', 'slo_attainment>=99%'] });
  const fast = recs.filter((x) => (x.ttftMs as number) < 200).length;
  assert.ok(fast > 15 && fast < 40);
  assert.equal(r.summary.goodput?.requests, fast);
  assert.equal(r.summary.goodput?.attainment, fast / 40);
  assert.ok(Math.abs((r.summary.goodput?.perS ?? 0) - fast / r.summary.durationS) < 0.01);
  assert.deepEqual(r.thresholds.map((x) => x.ok), [true, false]);
  assert.deepEqual([r.config['arrival'], r.config['seed'], r.config['slo']], ['poisson', 2, ['ttft<200ms']]);
});
