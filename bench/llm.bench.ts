/**
 * The LLM part of `npm run bench:load` (alone: `BENCH_ONLY=llm npm run bench:load`), against the
 * fixture LLM server in a child process (so its CPU is not the generator's):
 *  1. TTFT accuracy: vigil vs a minimal undici SSE client (test/helpers/minimal-sse-client.ts) at
 *     50 streams/s, alternating rounds, the server's seed reset before each run so both get the same
 *     TTFT and ITL draws; each client's TTFT P50/P99 over the server's own record of the same
 *     streams, and vigil's overhead minus the minimal client's (goal: within 0.5 ms at P50 and P99);
 *  2. throughput: open-model steps of streams/s (64 tokens each, 1 ms apart) up to the first step
 *     that is not sustained (a drop, an error, or the generator's lateness P99 over 10 ms):
 *     streams/s, tokens/s, TTFT/ITL, and the generator's CPU per token (process.cpuUsage of this
 *     process / tokens received). Goal: ≥ 20,000 tokens/s with 0 drops.
 * BENCH_SECONDS (default 10) and BENCH_ROUNDS (default 3) as the rest of bench:load.
 */
import { resolveLoadOptions, runLoad } from '../load/index.ts';
import { spawnLlmServer } from '../test/helpers/fixture-process.ts';
import { minimalSseClient } from '../test/helpers/minimal-sse-client.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const PATH = '/v1/chat/completions';
const body = (maxTokens: number): string => JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'benchmark' }], max_tokens: maxTokens, stream: true, stream_options: { include_usage: true } });

/** Nearest-rank percentile. */
function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

async function accuracy(out: string[]): Promise<void> {
  const rate = 50;
  const n = rate * SECONDS;
  const server = await spawnLlmServer(['--ttft', 'lognormal:median=30ms,sigma=0.5', '--itl', 'lognormal:median=8ms,sigma=0.3', '--seed', '9']);
  try {
    const BODY = body(24);
    await minimalSseClient(server.url, PATH, BODY, rate, rate);
    await runLoad(resolveLoadOptions({ target: server.url, path: PATH, body: BODY, rate: String(rate), requests: String(rate), progress: 'none' }));
    const rows: string[] = [];
    const overheads: { vigil: [number, number]; ref: [number, number] }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await server.configure({ seed: 9 });
      const before = (await server.stats(Number.MAX_SAFE_INTEGER)).completed;
      const ref = await minimalSseClient(server.url, PATH, BODY, rate, n);
      const mid = await server.stats(before);
      await server.configure({ seed: 9 });
      const r = await runLoad(resolveLoadOptions({ target: server.url, path: PATH, body: BODY, rate: String(rate), requests: String(n), progress: 'none' }));
      const after = await server.stats(mid.completed);
      const refServer = mid.records.map((x) => x.ttftMs as number);
      const vigilServer = after.records.map((x) => x.ttftMs as number);
      const st = r.summary.stream;
      if (!st) throw new Error('no stream block');
      const vo: [number, number] = [st.ttftMs.p50 - pct(vigilServer, 50), st.ttftMs.p99 - pct(vigilServer, 99)];
      const ro: [number, number] = [pct(ref.ttftMs, 50) - pct(refServer, 50), pct(ref.ttftMs, 99) - pct(refServer, 99)];
      overheads.push({ vigil: vo, ref: ro });
      rows.push(`| ${round + 1} | ${pct(vigilServer, 50).toFixed(2)} / ${pct(vigilServer, 99).toFixed(2)} | ${st.ttftMs.p50.toFixed(2)} / ${st.ttftMs.p99.toFixed(2)} | +${vo[0].toFixed(2)} / +${vo[1].toFixed(2)} | ${pct(ref.ttftMs, 50).toFixed(2)} / ${pct(ref.ttftMs, 99).toFixed(2)} | +${ro[0].toFixed(2)} / +${ro[1].toFixed(2)} | ${(vo[0] - ro[0]).toFixed(2)} / ${(vo[1] - ro[1]).toFixed(2)} |`);
      process.stderr.write(`accuracy round ${round + 1}: vigil +${vo.map((x) => x.toFixed(2)).join('/')} ms, minimal +${ro.map((x) => x.toFixed(2)).join('/')} ms over the server (P50/P99)\n`);
    }
    const med = (f: (o: (typeof overheads)[number]) => number): number => pct(overheads.map(f), 50);
    out.push('', `TTFT accuracy, ${rate} streams/s × ${SECONDS} s, lognormal TTFT (median 30 ms, σ 0.5), ITL ~8 ms, 24 tokens; ${ROUNDS} alternating rounds (ms, P50 / P99):`, '');
    out.push('| round | server TTFT (vigil\'s streams) | vigil TTFT | vigil over server | minimal SSE client TTFT | minimal over its server | vigil − minimal (overheads) |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...rows);
    out.push(`| median | | | +${med((o) => o.vigil[0]).toFixed(2)} / +${med((o) => o.vigil[1]).toFixed(2)} | | +${med((o) => o.ref[0]).toFixed(2)} / +${med((o) => o.ref[1]).toFixed(2)} | **${med((o) => o.vigil[0] - o.ref[0]).toFixed(2)} / ${med((o) => o.vigil[1] - o.ref[1]).toFixed(2)}** |`);
  } finally {
    await server.close();
  }
}

async function throughput(out: string[]): Promise<void> {
  const TOKENS = 64;
  const server = await spawnLlmServer(['--ttft', 'fixed:5ms', '--itl', 'fixed:1ms', '--seed', '3']);
  try {
    const BODY = body(TOKENS);
    await runLoad(resolveLoadOptions({ target: server.url, path: PATH, body: BODY, rate: '100', duration: '2s', progress: 'none' }));
    out.push('', `Throughput: open model, streams of ${TOKENS} tokens (TTFT 5 ms, 1 ms a token), ${SECONDS} s per step; the server in a child process:`, '');
    out.push('| offered (streams/s) | achieved (streams/s) | output tokens/s | dropped | errors | TTFT p50 / p99 (ms) | ITL p50 / p99 (ms) | generator lateness p99 (ms) | generator CPU per token | generator CPU (cores) |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const rate of [100, 200, 320, 450, 600, 800]) {
      const cpu0 = process.cpuUsage();
      const r = await runLoad(resolveLoadOptions({ target: server.url, path: PATH, body: BODY, rate: String(rate), duration: `${SECONDS}s`, progress: 'none' }));
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      const s = r.summary;
      const st = s.stream;
      const tokens = st?.outputTokens.total ?? 0;
      const late = s.schedulerLatenessMs?.p99 ?? 0;
      out.push(`| ${rate} | ${s.qps.toFixed(1)} | ${(st?.outputTokensPerS ?? 0).toFixed(0)} | ${s.droppedIterations} | ${s.errors.total} | ${st?.ttftMs.p50} / ${st?.ttftMs.p99} | ${st?.itlMs.p50} / ${st?.itlMs.p99} | ${s.schedulerLatenessMs?.p99 ?? '-'} | ${((cpuS / Math.max(1, tokens)) * 1e6).toFixed(2)} µs | ${(cpuS / s.durationS).toFixed(2)} |`);
      process.stderr.write(`throughput ${rate} streams/s: ${s.qps.toFixed(1)} achieved, ${(st?.outputTokensPerS ?? 0).toFixed(0)} tokens/s, dropped ${s.droppedIterations}\n`);
      // Sustained: every arrival sent (no drops) and answered (no errors), the generator never more than 10 ms late (P99).
      if (s.droppedIterations > 0 || s.errors.total > 0 || late > 10) break;
    }
  } finally {
    await server.close();
  }
}

export async function llmBench(): Promise<string[]> {
  const out: string[] = [];
  await accuracy(out);
  await throughput(out);
  return out;
}
