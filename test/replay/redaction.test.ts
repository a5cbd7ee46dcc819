import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactHeaders, redactUrl, SecretScrubber, secretValues } from '../../load/redact.ts';
import { REPO_ROOT, runVigil, testOutputDir } from '../helpers/cli.ts';
import { recordingServer } from './recording-server.ts';

const TRAFFIC = join(REPO_ROOT, 'fixtures', 'traffic');
/** Every secret the two fixture recordings carry. */
const HAR_SECRETS = ['har-query-key-7f3a9c', 'har-bearer-token-1b2c3d4e5f', 'har-x-api-key-99aa88bb', 'har-cookie-session-5e6f7a'];
const JSONL_SECRETS = ['jsonl-query-token-3c4d5e', 'jsonl-bearer-token-aa11bb22', 'jsonl-cookie-sid-77ee66', 'jsonl-x-api-key-0f0e0d', 'jsonl-custom-token-5a5b5c'];

test('redactHeaders, redactUrl and the scrubber (table-driven)', () => {
  assert.deepEqual(redactHeaders({ authorization: 'Bearer x', Cookie: 'a=b', 'set-cookie': 'c', 'X-API-Key': 'k', 'x-goog-api-key': 'g', 'my-token': 't', accept: 'json' }),
    { authorization: '[REDACTED]', Cookie: '[REDACTED]', 'set-cookie': '[REDACTED]', 'X-API-Key': '[REDACTED]', 'x-goog-api-key': '[REDACTED]', 'my-token': '[REDACTED]', accept: 'json' });
  const urls: [string, string][] = [
    ['/p?api_key=abc&model=m', '/p?api_key=[REDACTED]&model=m'],
    ['https://u:pw@h/x?access_token=1#f', 'https://[REDACTED]@h/x?access_token=[REDACTED]#f'],
    ['/p?sig=s&Signature=t&page=2', '/p?sig=[REDACTED]&Signature=[REDACTED]&page=2'],
    ['/plain/path', '/plain/path'],
  ];
  for (const [input, want] of urls) assert.equal(redactUrl(input), want);
  const s = new SecretScrubber().add(secretValues({ url: '/p?token=tok-123456', headers: { authorization: 'Bearer abcdef123456', cookie: 'sid=s3cr3t-cookie; theme=dark' } }));
  assert.equal(s.scrub('sent Bearer abcdef123456 and abcdef123456, sid=s3cr3t-cookie, tok-123456, theme=dark'),
    'sent [REDACTED] and [REDACTED], sid=[REDACTED], [REDACTED], theme=dark');
  // Encoded histograms are data, never scrubbed.
  assert.deepEqual(s.scrubValue({ histogram: 'xxabcdef123456xx', note: 'abcdef123456' }), { histogram: 'xxabcdef123456xx', note: '[REDACTED]' });
});

for (const [kind, flag, file, secrets] of [
  ['HAR', '--har', 'session.har', HAR_SECRETS],
  ['JSONL', '--replay', 'secrets.jsonl', JSONL_SECRETS],
] as const) {
  test(`${kind} replay: secrets are sent as recorded but appear in no output byte`, async (t) => {
    const server = await recordingServer();
    t.after(() => server.close());
    const dir = testOutputDir(`redaction-${kind.toLowerCase()}`);
    const out = join(dir, 'result.json');
    const html = join(dir, 'report.html');
    const run = await runVigil(['load', 'run', flag, join(TRAFFIC, file), '--target', server.url, '--rate', '50', '--requests', '10',
      '--progress', 'plain', '--out', out, '--html', html, '--threshold', 'p99<10s']);
    assert.equal(run.code, 0, run.stderr);
    const received = JSON.stringify(server.seen);
    for (const secret of secrets) assert.ok(received.includes(secret), `${secret} was not sent`);
    const outputs = { stdout: run.stdout, stderr: run.stderr, 'result.json': readFileSync(out, 'utf8'), 'report.html': readFileSync(html, 'utf8') };
    for (const [name, text] of Object.entries(outputs)) {
      for (const secret of secrets) {
        assert.ok(!text.includes(secret), `${secret} leaked into ${name}`);
        assert.ok(!text.includes(encodeURIComponent(secret)), `${secret} (URL-encoded) leaked into ${name}`);
      }
    }
    assert.ok(JSON.parse(outputs['result.json']).summary.requests >= 10);
  });
}

test('vigil load run --har on a malformed HAR exits 1 before sending anything', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const run = await runVigil(['load', 'run', '--har', join(TRAFFIC, 'malformed.har'), '--target', server.url, '--rate', '50', '--requests', '5']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error\[VIGIL_HAR_INVALID\].*malformed\.har.*log\.entries\[1\]\.request\.url/);
  assert.equal(server.seen.length, 0);
});
