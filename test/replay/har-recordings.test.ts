import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harSource, parseHar } from '../../load/sources/har.ts';
import { parseHarFilter, type HarFilter } from '../../load/sources/har-filter.ts';
import { REPO_ROOT, runVigil } from '../helpers/cli.ts';
import { recordingServer } from './recording-server.ts';
import type { TrafficSource } from '../../load/sources/source.ts';
import type { VigilError } from '../../common/errors.ts';

const HAR = join(REPO_ROOT, 'fixtures', 'traffic', 'har');
const urls = (s: TrafficSource): string[] => Array.from({ length: s.size }, (_, i) => `${s.at(i).method} ${s.at(i).url}`);
const filter = (hosts?: string[], types?: string[]): HarFilter => parseHarFilter(hosts, types);

test('Chrome HAR: the blocked request (status 0, _error) is skipped and counted; filters keep the API calls', () => {
  const all = harSource(join(HAR, 'chrome.har'));
  assert.equal(all.size, 8);
  assert.deepEqual(all.skipped, { connect: 0, noResponse: 1, filtered: 0 });
  assert.match(all.description, /\(8 requests; skipped 1 without a response\)/);
  const api = ['GET /v2/health/ready', 'POST /v2/models/iris/infer', 'GET /v2/models/iris'];
  const byHost = harSource(join(HAR, 'chrome.har'), filter(['api.example.com']));
  assert.deepEqual(urls(byHost), api);
  assert.deepEqual(byHost.skipped, { connect: 0, noResponse: 1, filtered: 5 });
  // Static assets by MIME type (wildcards, parameters ignored) and by extension.
  const byType = harSource(join(HAR, 'chrome.har'), filter(undefined, ['text/html', 'image/*,font/*', '.js', 'css']));
  assert.deepEqual(urls(byType), api);
  const infer = byHost.at(1);
  assert.equal(infer.headers.authorization, 'Bearer chrome-har-token-0a1b2c');
  assert.equal(infer.headers[':authority'], undefined);
  assert.match(Buffer.from(infer.body ?? []).toString(), /"datatype":"FP32"/);
});

test('Firefox HAR: Host/Connection/Content-Length dropped, extension matched on the path (not the query), failed entry skipped', () => {
  const src = harSource(join(HAR, 'firefox.har'), filter(undefined, ['js', 'text/css', 'image/png', 'text/html']));
  assert.deepEqual(urls(src), ['GET /v1/models/sentiment?verbose=true', 'POST /v1/models/sentiment:predict']);
  assert.deepEqual(src.skipped, { connect: 0, noResponse: 1, filtered: 4 });
  const [get, post] = [src.at(0), src.at(1)];
  assert.equal(get.headers.cookie, 'sid=ff-har-session-77');
  assert.equal(get.headers.host, undefined);
  assert.equal(get.headers.connection, undefined);
  assert.equal(post.headers['content-length'], undefined);
  assert.equal(Buffer.from(post.body ?? []).toString(), '{"instances":["fast and accurate"]}');
  // The +01:00 offsets are real times: 06.007 − 05.611 s.
  assert.ok(Math.abs((post.t ?? 0) - (get.t ?? 0) - 0.396) < 1e-9);
});

test('BrowserMob HAR: CONNECT tunnels and the entry without a response are skipped, the 503 is replayed', () => {
  const src = harSource(join(HAR, 'browsermob.har'));
  assert.deepEqual(urls(src), ['POST /v2/models/iris/infer', 'POST /v2/models/iris/infer', 'GET /status', 'GET /v2/models/iris/ready']);
  assert.deepEqual(src.skipped, { connect: 2, noResponse: 1, filtered: 0 });
  assert.match(src.description, /skipped 2 CONNECT tunnels, 1 without a response\)/);
  assert.deepEqual(urls(harSource(join(HAR, 'browsermob.har'), filter(['*.example.com']))).length, 4);
  assert.deepEqual(urls(harSource(join(HAR, 'browsermob.har'), filter(['legacy.example.com:80']))), ['GET /status']);
  assert.deepEqual(urls(harSource(join(HAR, 'browsermob.har'), filter(['api.example.com:443']))).length, 3);
});

test('every unparsable entry is a coded error naming its index; filters that leave nothing, or bad patterns, are coded errors', () => {
  const ok = { startedDateTime: '2026-03-03T09:00:00Z', request: { method: 'GET', url: 'https://a.example.com/x', headers: [] }, response: { status: 200 } };
  const har = { log: { entries: [ok, null, { ...ok, request: { ...ok.request, url: 'https://exa mple.com/x' } }, { ...ok, request: 'GET /' }, { ...ok, request: { ...ok.request, method: 'GE T' } }] } };
  assert.throws(() => parseHar(JSON.stringify(har), 'bad.har'), (err: VigilError) => {
    assert.equal(err.code, 'VIGIL_HAR_INVALID');
    assert.match(err.message, /log\.entries\[1\]: /);
    assert.match(err.message, /log\.entries\[2\]\.request\.url: is not a valid URL/);
    assert.match(err.message, /log\.entries\[3\]\.request: /);
    assert.match(err.message, /log\.entries\[4\]\.request\.method: must be an HTTP method/);
    assert.doesNotMatch(err.message, /entries\[0\]/);
    return true;
  });
  assert.throws(() => harSource(join(HAR, 'chrome.har'), filter(['nowhere.example.com'])), (err: VigilError) => {
    assert.equal(err.code, 'VIGIL_HAR_ALL_SKIPPED');
    assert.match(err.message, /all 9 entries were skipped \(1 without a response, 8 filtered out\)/);
    return true;
  });
  for (const [hosts, types] of [[['http://api.example.com'], undefined], [['a b'], undefined], [undefined, ['image/']], [undefined, ['*.js']]] as const) {
    assert.throws(() => parseHarFilter(hosts, types), { code: 'VIGIL_HAR_BAD_FILTER' }, JSON.stringify([hosts, types]));
  }
});

test('vigil load run --har on a proxy recording: no CONNECT sent, skips reported, 0 errors', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const run = await runVigil(['load', 'run', '--har', join(HAR, 'browsermob.har'), '--har-include-host', 'api.example.com', '--target', server.url, '--connections', '1', '--requests', '6', '--progress', 'plain', '--json']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /3 requests; skipped 2 CONNECT tunnels, 1 without a response, 1 filtered out/);
  assert.deepEqual(new Set(server.seen.map((s) => s.url)), new Set(['/v2/models/iris/infer', '/v2/models/iris/ready']));
  const result = JSON.parse(run.stdout) as { summary: { requests: number; errors: { total: number } }; config: { harSkipped: unknown } };
  assert.equal(result.summary.requests, 6);
  assert.equal(result.summary.errors.total, 0);
  assert.deepEqual(result.config.harSkipped, { connect: 2, noResponse: 1, filtered: 1 });
});

test('vigil load run --har with an invalid URL exits 1 with the coded error naming the entry, no stack', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-har-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'bad-url.har');
  const entry = (url: string): object => ({ startedDateTime: '2026-03-03T09:00:00Z', request: { method: 'GET', url, headers: [] }, response: { status: 200 } });
  writeFileSync(file, JSON.stringify({ log: { entries: [entry('https://ok.example.com/'), entry('http://[::1/oops')] } }));
  const run = await runVigil(['load', 'run', '--har', file, '--target', 'http://127.0.0.1:9', '--requests', '1']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error\[VIGIL_HAR_INVALID\].*log\.entries\[1\]\.request\.url: is not a valid URL/);
  assert.doesNotMatch(run.stderr, /TypeError|internal error|\n\s+at /);
});
