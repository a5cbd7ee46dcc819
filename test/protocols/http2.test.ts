import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Http2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { resolveLoadOptions, runLoad, type LoadInput, type LoadResult } from '../../load/index.ts';
import { startFixtureServer } from '../../fixtures/servers/index.ts';
import { runVigil } from '../helpers/cli.ts';
import { selfSignedCert } from '../helpers/tls-cert.ts';

const run = (input: LoadInput): Promise<LoadResult> => runLoad(resolveLoadOptions({ progress: 'none', ...input }));

/** An h2c server that counts sessions and the most streams open at once on one session. */
async function countingH2Server(serviceMs: number): Promise<{ url: string; sessions: () => number; maxStreams: () => number; requests: () => number; close(): Promise<void> }> {
  let sessions = 0;
  let maxStreams = 0;
  let requests = 0;
  const open = new Map<ServerH2Session, number>();
  type ServerH2Session = ServerHttp2Session;
  const server: Http2Server = createServer({ settings: { maxConcurrentStreams: 1000 } });
  server.on('session', (s: ServerH2Session) => { sessions++; open.set(s, 0); });
  server.on('stream', (stream) => {
    requests++;
    const s = stream.session as ServerH2Session;
    const n = (open.get(s) ?? 0) + 1;
    open.set(s, n);
    maxStreams = Math.max(maxStreams, n);
    stream.resume();
    stream.on('end', () => setTimeout(() => {
      open.set(s, (open.get(s) ?? 1) - 1);
      if (!stream.destroyed) { stream.respond({ ':status': 200, 'content-type': 'application/json' }); stream.end('{"outputs":[[0.5]]}'); }
    }, serviceMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sessions: () => sessions, maxStreams: () => maxStreams, requests: () => requests,
    close: () => new Promise((resolve) => { for (const s of open.keys()) s.destroy(); server.close(() => resolve()); }),
  };
}

test('--http2 on an http:// target speaks h2c with prior knowledge: streams multiplexed on --max-connections sessions, at most --max-streams each', async (t) => {
  const server = await countingH2Server(20);
  t.after(() => server.close());
  const result = await run({ target: server.url, http2: true, maxStreams: '10', maxConnections: '2', connections: '40', requests: '400', method: 'POST', path: '/predict', body: '{"inputs":[[1,2]]}' });
  assert.equal(result.summary.errors.total, 0);
  assert.equal(result.summary.requests, 400);
  assert.deepEqual(result.summary.status, { 200: 400 });
  assert.equal(result.endpoints['POST /predict']?.protocol, 'h2c');
  assert.equal(server.sessions(), 2);
  assert.equal(server.maxStreams(), 10, 'the 40 loops share 2 sessions of 10 streams; the other 20 wait');
  assert.equal(result.config['http2'], true);
  assert.equal(result.config['maxStreams'], 10);
  assert.equal(result.config.maxConnections, 2);
});

test('HTTP/2 open model: latency from the intended start (a stalling server shows at P99), stream resets are `reset`, 1 session by default', async (t) => {
  const server = await startFixtureServer({ http2: true, serviceTime: { kind: 'fixed', ms: 2 }, stall: { everyMs: 1000, forMs: 300 } });
  t.after(() => server.close());
  const result = await run({ target: server.url, http2: true, rate: '100', duration: '2s', method: 'POST', path: '/predict', body: '{"inputs":[[1]]}' });
  assert.equal(result.summary.droppedIterations, 0);
  assert.equal(result.summary.errors.total, 0);
  // About 30 % of arrivals land in a 300 ms stall and wait for its end: P99 is well above the 2 ms service time.
  assert.ok(result.summary.latencyMs.p99 > 150, `p99 ${result.summary.latencyMs.p99} ms`);
  assert.ok(result.summary.latencyMs.p50 < 150, `p50 ${result.summary.latencyMs.p50} ms`);
  assert.equal(result.config.maxConnections, 1);

  server.setOptions({ stall: null, resetRate: 0.5, seed: 3 });
  const resets = await run({ target: server.url, http2: true, connections: '4', requests: '200', method: 'POST', path: '/predict', body: '{"inputs":[[1]]}' });
  assert.equal(resets.summary.requests, 200);
  assert.ok(resets.summary.errors.byClass.reset > 50 && resets.summary.errors.byClass.reset < 150, JSON.stringify(resets.summary.errors));
  assert.equal(resets.summary.errors.total, resets.summary.errors.byClass.reset);
});

test('--http2 on https:// negotiates h2 by ALPN (real TLS); without it the same server answers HTTP/1.1', async (t) => {
  const tls = selfSignedCert();
  const server = await startFixtureServer({ http2: true, tls: { key: tls.key, cert: tls.cert } });
  t.after(async () => { await server.close(); tls.dispose(); });
  assert.match(server.url, /^https:/);
  const env = { NODE_EXTRA_CA_CERTS: tls.certFile };
  const args = ['load', 'run', '--target', server.url, '--method', 'POST', '--path', '/predict', '--body', '{"inputs":[[1]]}', '--connections', '4', '--requests', '40', '--json', '--progress', 'none'];
  for (const [extra, protocol] of [[['--http2'], 'h2'], [[], 'http/1.1']] as const) {
    const r = await runVigil([...args, ...extra], { env });
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as LoadResult;
    assert.equal(result.summary.errors.total, 0, JSON.stringify(result.summary.errors));
    assert.equal(result.endpoints['POST /predict']?.protocol, protocol);
  }
  assert.equal(server.requestCount(), 80);
});

test('HTTP/2 errors: refused connection is `connect`; --max-streams without --http2 and bad values are coded errors', async () => {
  const refused = await run({ target: 'http://127.0.0.1:9', http2: true, connections: '2', requests: '4' });
  assert.equal(refused.summary.errors.byClass.connect, refused.summary.requests);
  assert.ok(refused.summary.requests >= 4);
  assert.throws(() => resolveLoadOptions({ target: 'http://x', maxStreams: '10' }), { code: 'VIGIL_LOAD_BAD_PROTOCOL_OPTION' });
  assert.throws(() => resolveLoadOptions({ target: 'http://x', http2: true, maxStreams: '0' }), { code: 'VIGIL_LOAD_BAD_PROTOCOL_OPTION' });
  assert.throws(() => resolveLoadOptions({ target: 'http://x', http2: true, maxStreams: '2.5' }), { code: 'VIGIL_LOAD_BAD_PROTOCOL_OPTION' });
});
