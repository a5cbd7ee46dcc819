import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { request } from 'undici';
import { startLlmServer } from '../../fixtures/servers/llm/server.ts';
import { recordReference } from '../../monitor/http/record.ts';
import type { RingWindow } from '../../monitor/state/window.ts';
import { startTestMonitor } from './helpers.ts';

/** Streamed chat requests asking for usage, of varied prompt and answer lengths. */
function requestsFile(n: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-openai-')), 'requests.jsonl');
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({
    method: 'POST', path: '/v1/chat/completions',
    body: { model: 'vigil-fixture-llm', messages: [{ role: 'user', content: 'word '.repeat(3 + ((i * 7) % 20)) }], max_tokens: 2 + (i % 6), stream: true, stream_options: { include_usage: true } },
  }));
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

test('openai: record a reference from a JSONL of requests, then the proxy observes every streamed answer with the server\'s own token counts and TTFT, and counts finish_reason', async () => {
  const llm = await startLlmServer({ ttft: { kind: 'fixed', ms: 10 }, itl: { kind: 'fixed', ms: 1 } });
  try {
    const reqs = requestsFile(20);
    const out = join(mkdtempSync(join(tmpdir(), 'vigil-openai-ref-')), 'reference.jsonl');
    const rec = await recordReference({ target: llm.url, requests: reqs, out });
    assert.deepEqual(rec.features, ['prompt_tokens', 'completion_tokens', 'ttft_ms', 'duration_ms']);
    assert.equal(rec.rows, 20);
    assert.deepEqual(rec.finishReasons, { length: 20 });
    const recorded = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    const truth = llm.records();
    recorded.forEach((r, i) => {
      const t = truth[i]!;
      assert.equal(r.prompt_tokens, t.promptTokens);
      assert.equal(r.completion_tokens, t.outputTokens);
      assert.ok((r.ttft_ms as number) >= (t.ttftMs as number) - 0.001 && (r.ttft_ms as number) <= (r.duration_ms as number), `ttft ${r.ttft_ms} vs the server's ${t.ttftMs}`);
    });
    llm.resetRecords();

    const svc = await startTestMonitor({ reference: out, upstream: llm.url, proxy: { protocol: 'openai' }, window: 100, evaluateEvery: 1_000_000, evaluateInterval: '1h' });
    try {
      const lines = readFileSync(reqs, 'utf8').trim().split('\n').slice(0, 12).map((l) => JSON.parse(l) as { path: string; body: unknown });
      for (const l of lines) {
        const res = await request(svc.url + l.path, { method: 'POST', body: JSON.stringify(l.body), headers: { 'content-type': 'application/json' } });
        assert.match(String(res.headers['content-type']), /^text\/event-stream/);
        assert.match(await res.body.text(), /data: \[DONE\]/);
      }
      const models = await request(`${svc.url}/v1/models`);
      assert.equal(((await models.body.json()) as { data: { id: string }[] }).data[0]?.id, 'vigil-fixture-llm');
      const rejectedEvent = once(svc.engine, 'rejected');
      const emb = await request(`${svc.url}/v1/embeddings`, { method: 'POST', body: JSON.stringify({ input: ['a b c'] }), headers: { 'content-type': 'application/json' } });
      assert.equal(((await emb.body.json()) as { data: { embedding: number[] }[] }).data[0]?.embedding.length, 8);
      await new Promise<void>((resolve) => { const check = () => { if (svc.engine.windowPushed >= 12) resolve(); else setTimeout(check, 10); }; check(); });
      const window = (svc.engine as unknown as { inputs: RingWindow }).inputs.snapshot();
      const server = llm.records().filter((r) => r.streamed);
      assert.equal(window.rows, 12);
      for (let i = 0; i < 12; i++) {
        const [prompt, completion, ttft, duration] = Array.from(window.data.subarray(i * 4, i * 4 + 4));
        assert.equal(prompt, server[i]!.promptTokens);
        assert.equal(completion, server[i]!.outputTokens);
        assert.ok(ttft! >= server[i]!.ttftMs! - 0.001 && ttft! <= duration!, `ttft ${ttft} vs the server's ${server[i]!.ttftMs}`);
      }
      const metrics = await svc.registry.getSingleMetricAsString('vigil_observed_categorical_total');
      assert.match(metrics, /feature="finish_reason",value="length"\} 12/);
      // The embeddings answer lacks this reference's TTFT: counted, not observed.
      assert.deepEqual(await rejectedEvent, ['VIGIL_MONITOR_MISSING_FEATURE', 'proxy']);
      const rejected = await svc.registry.getSingleMetricAsString('vigil_observations_rejected_total');
      assert.match(rejected, /code="VIGIL_MONITOR_MISSING_FEATURE"\} 1/);
    } finally {
      await svc.close();
    }
  } finally {
    await llm.close();
  }
});
