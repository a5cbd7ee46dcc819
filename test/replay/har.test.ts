import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { harSource, parseHar, harHeaders } from '../../load/sources/har.ts';
import { REPO_ROOT, runVigil } from '../helpers/cli.ts';
import { recordingServer } from './recording-server.ts';
import type { VigilError } from '../../common/errors.ts';

const TRAFFIC = join(REPO_ROOT, 'fixtures', 'traffic');

test('HAR 1.2 entries become requests: sorted by startedDateTime, origin dropped, bodies encoded', () => {
  const src = harSource(join(TRAFFIC, 'session.har'));
  assert.equal(src.size, 4);
  assert.equal(src.timed, true);
  const all = Array.from({ length: src.size }, (_, i) => src.at(i));
  // The GET was recorded first although it is second in the file (recordings are not always in order).
  assert.deepEqual(all.map((r) => [r.method, r.url, r.t]), [
    ['GET', '/v1/models/42', 0],
    ['POST', '/predict?api_key=har-query-key-7f3a9c&model=resnet', 0.25],
    ['POST', '/v1/feedback', 1],
    ['POST', '/v1/upload', 1.5],
  ]);
  assert.deepEqual(all.map((r) => r.endpoint), ['GET /v1/models/:id', 'predict', 'POST /v1/feedback', 'POST /v1/upload']);
  const [get, predict, form, upload] = all;
  assert.deepEqual(get?.headers, { cookie: 'session=har-cookie-session-5e6f7a; theme=dark', accept: 'application/json' });
  assert.equal(get?.body, undefined);
  assert.deepEqual(predict?.headers, { 'content-type': 'application/json', authorization: 'Bearer har-bearer-token-1b2c3d4e5f', 'x-api-key': 'har-x-api-key-99aa88bb', accept: 'application/json' });
  assert.equal(Buffer.from(predict?.body ?? []).toString(), '{"inputs": [[1.5, 2.5]]}');
  assert.equal(Buffer.from(form?.body ?? []).toString(), 'rating=5&comment=fast%20%26%20right');
  assert.equal(form?.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(form?.headers['transfer-encoding'], undefined);
  assert.equal(upload?.headers['content-type'], 'multipart/form-data; boundary=----vigilTestBoundary');
  assert.equal(Buffer.from(upload?.body ?? []).toString(),
    '------vigilTestBoundary\r\nContent-Disposition: form-data; name="meta"\r\n\r\n{"n":1}\r\n'
    + '------vigilTestBoundary\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\r\n'
    + '------vigilTestBoundary--\r\n');
});

test('pseudo-headers and hop-by-hop headers are dropped; repeated headers are joined', () => {
  const h = harHeaders([
    { name: ':authority', value: 'x' }, { name: ':path', value: '/' }, { name: 'Host', value: 'x' }, { name: 'Content-Length', value: '3' },
    { name: 'Connection', value: 'close' }, { name: 'Keep-Alive', value: '5' }, { name: 'TE', value: 'trailers' }, { name: 'Upgrade', value: 'h2c' },
    { name: 'Accept', value: 'a' }, { name: 'accept', value: 'b' }, { name: 'Cookie', value: 'a=1' }, { name: 'cookie', value: 'b=2' },
  ]);
  assert.deepEqual(h, { accept: 'a, b', cookie: 'a=1; b=2' });
});

test('a malformed HAR is rejected before the run with file, entry index and rule', () => {
  const file = join(TRAFFIC, 'malformed.har');
  assert.throws(() => harSource(file), (err: VigilError) => {
    assert.equal(err.code, 'VIGIL_HAR_INVALID');
    assert.ok(err.message.includes(file));
    assert.match(err.message, /log\.entries\[1\]\.startedDateTime: must be an ISO 8601 date-time/);
    assert.match(err.message, /log\.entries\[1\]\.request\.url: must be an absolute http\(s\) URL/);
    assert.match(err.message, /log\.entries\[2\]\.request\.headers\[0\]\.value/);
    assert.match(err.message, /log\.entries\[2\]\.request\.postData: postData needs "text" or "params"/);
    assert.doesNotMatch(err.message, /entries\[0\]/);
    return true;
  });
  const cases: [string, string][] = [
    ['not json', 'VIGIL_HAR_INVALID'],
    ['{"log": {}}', 'VIGIL_HAR_INVALID'],
    ['{"log": {"entries": []}}', 'VIGIL_HAR_EMPTY'],
  ];
  for (const [text, code] of cases) assert.throws(() => parseHar(text, 'x.har'), { code }, text);
  assert.throws(() => harSource(join(TRAFFIC, 'does-not-exist.har')), { code: 'VIGIL_HAR_UNREADABLE' });
});

test('vigil load run --har --timing original sends the entries in recorded order to --target', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const run = await runVigil(['load', 'run', '--har', join(TRAFFIC, 'session.har'), '--target', server.url, '--timing', 'original', '--speed', '2', '--progress', 'none', '--json']);
  assert.equal(run.code, 0, run.stderr);
  // Sorted by startedDateTime, origin replaced by the target, hop-by-hop headers not forwarded as recorded.
  assert.deepEqual(server.seen.map((s) => s.url), ['/v1/models/42', '/predict?api_key=har-query-key-7f3a9c&model=resnet', '/v1/feedback', '/v1/upload']);
  assert.equal(server.seen[0]?.headers.host, new URL(server.url).host);
  assert.equal(server.seen[1]?.headers['x-api-key'], 'har-x-api-key-99aa88bb');
  const result = JSON.parse(run.stdout) as { config: { model: string; speed: number }; summary: { requests: number } };
  assert.equal(result.config.model, 'original');
  assert.equal(result.summary.requests, 4);
});
