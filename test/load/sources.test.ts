import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endpointKey, jsonlReplaySource, parseJsonlReplay, singleRequestSource } from '../../load/index.ts';
import { isVigilError } from '../../common/errors.ts';
import { testOutputDir } from '../helpers/cli.ts';

const decode = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('utf8');

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(isVigilError(err), `expected a coded error, got ${String(err)}`);
    return { code: err.code, message: err.message };
  }
  assert.fail('expected an error');
}

test('endpointKey: name wins; method + path template with numeric and uuid segments folded', () => {
  const cases: [string, string, string | undefined, string][] = [
    ['get', '/users/42/orders/7?x=1', undefined, 'GET /users/:id/orders/:id'],
    ['POST', 'http://h:8080/v1/models/3f2504e0-4f89-11d3-9a0c-0305e82c3301/predict', undefined, 'POST /v1/models/:id/predict'],
    ['POST', '/predict', 'predict', 'predict'],
    ['GET', '/v2/items/abc123', undefined, 'GET /v2/items/abc123'],
    ['GET', 'http://h', undefined, 'GET /'],
  ];
  for (const [m, u, n, want] of cases) assert.equal(endpointKey(m, u, n), want);
});

test('JSONL: every body form, url or path, t and name', () => {
  const text = [
    '{"method":"POST","path":"/predict","body":{"inputs":[[1,2]]},"t":0.5,"name":"predict"}',
    '',
    '{"url":"http://127.0.0.1:9/x/12","headers":{"X-Id":"a","n":3},"body":"plain text","t":0}',
    '{"method":"put","path":"/blob","body_base64":"AAEC/w==","t":1.25}',
  ].join('\n');
  const src = parseJsonlReplay(text, 'traffic.jsonl');
  assert.equal(src.size, 3);
  assert.equal(src.timed, true);
  const [a, b, c] = [src.at(0), src.at(1), src.at(2)];
  assert.deepEqual([a.method, a.url, a.endpoint, a.t, a.headers['content-type']], ['POST', '/predict', 'predict', 0.5, 'application/json']);
  assert.equal(decode(a.body), '{"inputs":[[1,2]]}');
  assert.deepEqual([b.method, b.url, b.endpoint, b.headers], ['POST', 'http://127.0.0.1:9/x/12', 'POST /x/:id', { 'x-id': 'a', n: '3' }]);
  assert.equal(decode(b.body), 'plain text');
  assert.deepEqual([c.method, [...(c.body ?? [])]], ['PUT', [0, 1, 2, 255]]);
  assert.equal(src.at(3), a, 'sources cycle');
});

test('JSONL: malformed lines are all reported with file:line and the rule', () => {
  const text = [
    '{"path":"/ok"}',
    '{"path":"/a"',                                // 2: not JSON
    '{"path":"/b","url":"http://h/b"}',            // 3: both url and path
    '{"path":"b"}',                                // 4: path without /
    '{"path":"/c","colour":"red"}',                // 5: unknown key
    '{"path":"/d","body":1,"body_base64":"AA=="}', // 6: two bodies
    '{"path":"/e","t":-1}',                        // 7: negative t
    '{"method":"G E T","path":"/f"}',              // 8: bad method
  ].join('\n');
  const e = errorOf(() => parseJsonlReplay(text, 'bad.jsonl'));
  assert.equal(e.code, 'VIGIL_LOAD_REPLAY_MALFORMED');
  for (const line of [2, 3, 4, 5, 6, 7, 8]) assert.match(e.message, new RegExp(`bad\\.jsonl:${line}: `), `line ${line} reported`);
  assert.doesNotMatch(e.message, /bad\.jsonl:1:/);
  assert.match(e.message, /bad\.jsonl:3: exactly one of "url" and "path"/);
  assert.match(e.message, /bad\.jsonl:5: .*colour/);
});

test('JSONL: t on some lines only is rejected; empty and missing files have their own codes', () => {
  const e = errorOf(() => parseJsonlReplay('{"path":"/a","t":0}\n{"path":"/b"}\n', 'mixed.jsonl'));
  assert.equal(e.code, 'VIGIL_LOAD_REPLAY_MALFORMED');
  assert.match(e.message, /mixed\.jsonl:2: "t" must be on every line or on none/);
  assert.equal(errorOf(() => parseJsonlReplay('\n\n', 'empty.jsonl')).code, 'VIGIL_LOAD_REPLAY_EMPTY');
  assert.equal(errorOf(() => jsonlReplaySource('/nonexistent/x.jsonl')).code, 'VIGIL_LOAD_REPLAY_NOT_FOUND');
});

test('single request: headers, JSON body, @file body, bad header and body', () => {
  const src = singleRequestSource({ path: '/predict', headers: ['Authorization: Bearer x:y'], body: '{"a":1}' });
  const r = src.at(0);
  assert.deepEqual([r.method, r.url, r.headers], ['POST', '/predict', { authorization: 'Bearer x:y', 'content-type': 'application/json' }]);
  assert.equal(decode(r.body), '{"a":1}');
  const dir = testOutputDir('load-sources');
  const file = join(dir, 'body.bin');
  writeFileSync(file, Buffer.from([1, 2, 3]));
  assert.deepEqual([...(singleRequestSource({ method: 'put', path: '/b', body: `@${file}` }).at(0).body ?? [])], [1, 2, 3]);
  assert.equal(errorOf(() => singleRequestSource({ headers: ['no-colon'] })).code, 'VIGIL_LOAD_BAD_HEADER');
  assert.equal(errorOf(() => singleRequestSource({ body: '{not json' })).code, 'VIGIL_LOAD_BAD_BODY');
  assert.equal(errorOf(() => singleRequestSource({ body: '@/nonexistent/file' })).code, 'VIGIL_LOAD_BAD_BODY');
});
