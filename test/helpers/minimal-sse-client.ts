/**
 * The reference for TTFT and ITL: the simplest correct open-model SSE client — sleep to each
 * intended start (again when a timer wakes early: Node's timers run on a millisecond-truncated loop
 * clock and fire up to ~1 ms before the requested time), one undici `request`, read the body as it
 * comes, and time the first chunk with content and the gaps between content chunks from the
 * intended start. No scheduler, no histograms, no meters: what vigil must not be slower than.
 * Written for the fixture LLM server's output (ASCII, LF-terminated events).
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface SseClientTimes {
  ttftMs: number[];
  itlMs: number[];
  /** How late each request was sent after its intended start, ms. */
  lateness: number[];
  /** Sum of usage.completion_tokens. */
  tokens: number;
}

export async function minimalSseClient(url: string, path: string, body: string, rate: number, n: number): Promise<SseClientTimes> {
  const pool = new Pool(url, { connections: 256 });
  const out: SseClientTimes = { ttftMs: [], itlMs: [], lateness: [], tokens: 0 };
  const t0 = performance.now() + 50;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const intended = t0 + (i * 1000) / rate;
    while (performance.now() < intended) await new Promise((r) => setTimeout(r, intended - performance.now()));
    out.lateness.push(performance.now() - intended);
    pending.push(pool.request({ path, method: 'POST', body, headers: { 'content-type': 'application/json' } }).then(async (res) => {
      let buf = '';
      let last: number | undefined;
      for await (const chunk of res.body) {
        const now = performance.now();
        buf += (chunk as Buffer).toString('utf8');
        for (let k = buf.indexOf('\n\n'); k >= 0; k = buf.indexOf('\n\n')) {
          const event = buf.slice(0, k);
          buf = buf.slice(k + 2);
          for (const line of event.split('\n')) {
            if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
            const chunkObj = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[]; usage?: { completion_tokens: number } };
            if (chunkObj.usage) out.tokens += chunkObj.usage.completion_tokens;
            if (!chunkObj.choices?.[0]?.delta?.content) continue;
            if (last === undefined) out.ttftMs.push(now - intended);
            else out.itlMs.push(now - last);
            last = now;
          }
        }
      }
    }));
  }
  await Promise.all(pending);
  await pool.close();
  return out;
}
