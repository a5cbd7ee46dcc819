import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHistogram, decodeHistogram, mergeHistogramInto, resolveLoadOptions, runLoad, summarizeHistogram, type Histogram } from '../../load/index.ts';
import { spawnLlmServer } from '../helpers/fixture-process.ts';
import { minimalSseClient } from '../helpers/minimal-sse-client.ts';
import { percentile, strictTiming } from './measure.ts';

/** Well below the server's capacity: no queueing, each stream ~30 + 11 × 8 ms. */
const RATE = 40;
const SECONDS = 3;
const ROUNDS = 3;
const PATH = '/v1/chat/completions';
const BODY = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'How fast is the first token?' }], max_tokens: 24, stream: true, stream_options: { include_usage: true } });
const SERVER = ['--ttft', 'lognormal:median=30ms,sigma=0.5', '--itl', 'lognormal:median=8ms,sigma=0.3', '--output-tokens', 'uniform:4-24', '--seed', '21'];

type Server = Awaited<ReturnType<typeof spawnLlmServer>>;

/** Everything measured so far, pooled over rounds and attempts. */
interface Samples {
  ttft: Histogram; itl: Histogram; vigilServerTtft: number[]; vigilServerItl: number[]; vigilTokens: number; vigilServerTokens: number;
  refTtft: number[]; refItl: number[]; refServerTtft: number[]; refServerItl: number[]; refLateness: number[];
}

/** One attempt: the two clients alternate, the server's seed reset before each, so both get the same TTFT and ITL draws. */
async function measureInto(server: Server, s: Samples): Promise<void> {
  const n = RATE * SECONDS;
  for (let round = 0; round < ROUNDS; round++) {
    await server.configure({ seed: 21 });
    const before = (await server.stats(Number.MAX_SAFE_INTEGER)).completed;
    const ref = await minimalSseClient(server.url, PATH, BODY, RATE, n);
    const mid = await server.stats(before);
    s.refTtft.push(...ref.ttftMs);
    s.refItl.push(...ref.itlMs);
    s.refLateness.push(...ref.lateness);
    s.refServerTtft.push(...mid.records.map((r) => r.ttftMs as number));
    s.refServerItl.push(...mid.records.flatMap((r) => r.gapsMs));

    await server.configure({ seed: 21 });
    const result = await runLoad(resolveLoadOptions({ target: server.url, path: PATH, body: BODY, rate: String(RATE), requests: String(n), progress: 'none' }));
    const after = await server.stats(mid.completed);
    const st = result.summary.stream;
    assert.ok(st);
    assert.equal(result.summary.errors.total, 0);
    mergeHistogramInto(s.ttft, decodeHistogram(st.histograms.ttft));
    mergeHistogramInto(s.itl, decodeHistogram(st.histograms.itl));
    s.vigilServerTtft.push(...after.records.map((r) => r.ttftMs as number));
    s.vigilServerItl.push(...after.records.flatMap((r) => r.gapsMs));
    // tokens per request exact with usage: the totals of the same requests agree
    assert.equal(st.outputTokens.source, 'usage');
    assert.equal(st.outputTokens.total, after.records.reduce((a, r) => a + r.outputTokens, 0));
    assert.equal(st.requests, after.records.length);
  }
  assert.equal(s.ttft.totalCount, s.vigilServerTtft.length);
  assert.equal(s.itl.totalCount, s.vigilServerItl.length);
}

/** The bounds of the issue on the pooled samples: rows to report and the bounds missed. */
function check(s: Samples): { rows: string[]; failures: string[] } {
  const rows: string[] = [];
  const failures: string[] = [];
  const ttft = summarizeHistogram(s.ttft);
  const itl = summarizeHistogram(s.itl);
  const bound = (name: string, vigil: number, server: number, ref: number, refServer: number, tolerance: number): void => {
    rows.push(`${name}: server ${server.toFixed(2)} ms, vigil ${vigil.toFixed(2)} ms (${signed(vigil - server)}), minimal SSE client ${ref.toFixed(2)} ms (${signed(ref - refServer)} over its server)`);
    if (Math.abs(vigil - server) > tolerance) failures.push(`${rows.at(-1)}: vigil is not within ${tolerance.toFixed(2)} ms of the server`);
  };
  for (const p of [50, 90, 99] as const) {
    const server = percentile(s.vigilServerTtft, p);
    bound(`TTFT p${p}`, ttft[`p${p}`], server, percentile(s.refTtft, p), percentile(s.refServerTtft, p), Math.max(3, 0.08 * server));
    // a TTFT from the intended start includes the server's own; it cannot be below it (beyond HDR's 0.1 %)
    assert.ok(ttft[`p${p}`] >= server * 0.999 - 0.01, `${rows.at(-1)}: below the server's own TTFT`);
  }
  const itlServer = percentile(s.vigilServerItl, 50);
  bound('ITL p50', itl.p50, itlServer, percentile(s.refItl, 50), percentile(s.refServerItl, 50), Math.max(2, 0.1 * itlServer));
  return { rows, failures };
}

const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
const ATTEMPTS = 3;

test('LLM accuracy: vigil\'s TTFT and ITL vs the fixture LLM server\'s own records, and vs a minimal undici SSE client', async (t) => {
  const server = await spawnLlmServer(SERVER);
  t.after(() => server.close());
  // Warm up the server, undici and the JIT before anything is measured.
  await minimalSseClient(server.url, PATH, BODY, RATE, RATE);
  await runLoad(resolveLoadOptions({ target: server.url, path: PATH, body: BODY, rate: String(RATE), requests: String(RATE), progress: 'none' }));

  const samples: Samples = { ttft: createHistogram(), itl: createHistogram(), vigilServerTtft: [], vigilServerItl: [], vigilTokens: 0, vigilServerTokens: 0, refTtft: [], refItl: [], refServerTtft: [], refServerItl: [], refLateness: [] };
  await measureInto(server, samples);
  let m = check(samples);
  // As test/load/accuracy.test.ts: a bound missed on the pooled samples is measured again and the
  // new samples are added (a larger sample, a tighter estimate); the bounds never change.
  for (let attempt = 2; attempt <= ATTEMPTS && m.failures.length > 0; attempt++) {
    t.diagnostic(`after ${attempt - 1} attempt(s) (${samples.vigilServerTtft.length} streams) a bound is missed, adding samples: ${m.failures.join(' | ')}`);
    await measureInto(server, samples);
    m = check(samples);
  }
  for (const r of m.rows) t.diagnostic(r);
  t.diagnostic(`minimal client lateness: p50 ${percentile(samples.refLateness, 50).toFixed(3)}, p99 ${percentile(samples.refLateness, 99).toFixed(3)} ms`);
  const timing = strictTiming();
  if (timing.strict) assert.deepEqual(m.failures, []);
  else if (m.failures.length > 0) t.skip(`NOT ASSERTED (${timing.why}): ${m.failures.join(' | ')}`);
});
