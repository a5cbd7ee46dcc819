import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { request } from 'undici';
import { spawnVigil } from '../helpers/cli.ts';
import { gaussianRows, startTestMonitor, TOKENS, writeReference } from './helpers.ts';

const D = 4;

async function upstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}

test('SSE chunks reach the client as the upstream writes them (the upstream waits for the client to see each one)', async () => {
  const CHUNKS = 5;
  let seen = 0;
  const waiters: (() => void)[] = [];
  const clientSaw = () => { seen++; waiters.splice(0).forEach((w) => w()); };
  const up = await upstream(async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (let i = 0; i < CHUNKS; i++) {
      res.write(`data: {"i": ${i}}\n\n`);
      // The next chunk is written only once the client has received this one: a proxy that held
      // the answer until its end would never get there.
      while (seen <= i) await new Promise<void>((r) => waiters.push(r));
    }
    res.end('data: [DONE]\n\n');
  });
  const svc = await startTestMonitor({ reference: writeReference(gaussianRows(40, D, 1)), upstream: up.url, proxy: { path: '/v1/stream' } });
  try {
    const res = await request(`${svc.url}/v1/stream`, { method: 'POST', body: '{"inputs": [[1,2,3,4]]}', headers: { 'content-type': 'application/json' } });
    assert.equal(res.headers['content-type'], 'text/event-stream');
    let text = '';
    for await (const chunk of res.body) {
      text += (chunk as Buffer).toString();
      const events = text.split('\n\n').length - 1;
      while (seen < Math.min(events, CHUNKS)) clientSaw();
    }
    assert.equal(seen, CHUNKS);
    assert.match(text, /data: \[DONE\]\n\n$/);
  } finally {
    await svc.close();
    await up.close();
  }
});

test('a 100 MB answer streams through a monitor process with flat memory (peak RSS) and is counted unobserved (over --observe-max-bytes)', async () => {
  const MB = 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const up = await upstream((req, res) => {
    const total = Number(req.headers['x-test-bytes']);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': total });
    let left = total / chunk.length;
    const pump = () => { while (left > 0) { left--; if (!res.write(chunk)) { res.once('drain', pump); return; } } res.end(); };
    pump();
  });
  const child = spawnVigil(['monitor', 'serve', '--reference', 'fixtures/datasets/reference.jsonl', '--upstream', up.url, '--port', '0', '--insecure-no-auth', '--no-watch', '--log-level', 'warn']);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => { out += d.toString(); const m = /listening (\S+)/.exec(out); if (m) resolve(m[1] as string); });
      child.once('exit', (code) => reject(new Error(`monitor exited with ${code}`)));
    });
    const peakRss = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) * 1024;
    const pass = async (bytes: number) => {
      const res = await request(`${url}/predict`, { method: 'POST', body: '{"inputs": [[1,2,3,4]]}', headers: { 'content-type': 'application/json', 'x-test-bytes': String(bytes) } });
      let got = 0;
      for await (const c of res.body) got += (c as Buffer).length;
      return got;
    };
    assert.equal(await pass(24 * MB), 24 * MB); // warm-up: the 8 MiB observation copy, dropped when passed
    const before = peakRss();
    assert.equal(await pass(100 * MB), 100 * MB);
    const grewMB = (peakRss() - before) / MB;
    assert.ok(grewMB < 48, `the monitor's peak RSS grew ${grewMB.toFixed(1)} MB while 100 MB went through`);
    const metrics = await (await request(`${url}/metrics`)).body.text();
    assert.match(metrics, /vigil_observations_rejected_total\{[^}]*code="VIGIL_MONITOR_OBSERVE_TOO_LARGE"[^}]*\} 2/);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit').catch(() => undefined);
    await up.close();
  }
});

test('--upstream-timeout bounds the whole exchange: an answer trickling forever is cut and counted code="timeout"', async () => {
  const up = await upstream((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const t = setInterval(() => res.write(': keep-alive\n\n'), 50);
    res.on('close', () => clearInterval(t));
  });
  const svc = await startTestMonitor({ reference: writeReference(gaussianRows(40, D, 1)), upstream: up.url, upstreamTimeout: '400ms' });
  try {
    const res = await request(`${svc.url}/predict`, { method: 'POST', body: '{}' });
    assert.equal(res.statusCode, 200);
    await assert.rejects(async () => { for await (const c of res.body) void c; }, 'the reply is cut');
    const metrics = await svc.registry.getSingleMetricAsString('vigil_upstream_requests_total');
    assert.match(metrics, /code="timeout"/);
  } finally {
    await svc.close();
    await up.close();
  }
});

test('credentials in the upstream URL are sent as Basic auth and never appear in a 502 body, /v1/status or the log', async () => {
  let authorization: string | undefined;
  const up = await upstream((req, res) => { authorization = req.headers.authorization; res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"outputs": [[0.5, 0.5]]}'); });
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }));
  const secret = 's3cr%40t-pass';
  const svc = await startTestMonitor({ reference: writeReference(gaussianRows(40, D, 1)), upstream: `http://alice:${secret}@127.0.0.1:${up.port}` }, { logger });
  try {
    const ok = await request(`${svc.url}/predict`, { method: 'POST', body: '{"inputs": [[1,2,3,4]]}' });
    await ok.body.text();
    assert.equal(authorization, `Basic ${Buffer.from('alice:s3cr@t-pass').toString('base64')}`);
    const own = await request(`${svc.url}/predict`, { method: 'POST', body: '{"inputs": [[1,2,3,4]]}', headers: { authorization: 'Bearer the-clients-own' } });
    await own.body.text();
    assert.equal(authorization, 'Bearer the-clients-own', 'the client\'s own Authorization wins');
    await up.close();
    const failed = await request(`${svc.url}/predict`, { method: 'POST', body: '{}' });
    assert.equal(failed.statusCode, 502);
    const body = await failed.body.text();
    const status = await (await request(`${svc.url}/v1/status`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } })).body.text();
    for (const [where, text] of [['502 body', body], ['/v1/status', status], ['log', lines.join('')]] as const) {
      assert.ok(!text.includes('s3cr') && !text.includes('alice'), `${where} holds the credentials: ${text.slice(0, 300)}`);
    }
    assert.match(body, /\*\*\*@127\.0\.0\.1/);
    assert.match(status, /\*\*\*@127\.0\.0\.1/);
    assert.ok(lines.some((l) => l.includes('***@127.0.0.1')), 'the log names the upstream, redacted');
  } finally {
    await svc.close();
  }
});

test('a client that goes away mid-answer ends the upstream exchange too (counted code="error", nothing observed, no upstream-failure log)', async () => {
  let upstreamClosed!: () => void;
  const closed = new Promise<void>((r) => { upstreamClosed = r; });
  const up = await upstream((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const t = setInterval(() => res.write('data: {"tick": 1}\n\n'), 10);
    res.on('close', () => { clearInterval(t); upstreamClosed(); });
  });
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }));
  const svc = await startTestMonitor({ reference: writeReference(gaussianRows(40, D, 1)), upstream: up.url, proxy: { path: '/v1/stream' } }, { logger });
  try {
    const res = await request(`${svc.url}/v1/stream`, { method: 'POST', body: '{"inputs": [[1,2,3,4]]}', headers: { 'content-type': 'application/json' } });
    for await (const chunk of res.body) { assert.match((chunk as Buffer).toString(), /tick/); break; } // leaving the loop destroys the body: the client hangs up
    await closed; // never resolves (the test times out) if the proxy kept the upstream exchange open
    let metrics = '';
    while (!/code="error"/.test(metrics)) {
      metrics = await svc.registry.getSingleMetricAsString('vigil_upstream_requests_total');
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(svc.engine.windowPushed, 0);
    assert.ok(!lines.some((l) => l.includes('upstream request failed')), 'a client hanging up is not an upstream failure');
  } finally {
    await svc.close();
    await up.close();
  }
});
