import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { REPO_ROOT, collectRun, runVigil, spawnVigil } from '../helpers/cli.ts';
import { TOKEN_ENV } from './helpers.ts';
import { loadTokens } from '../../monitor/http/auth.ts';

const REFERENCE = join(REPO_ROOT, 'fixtures/datasets/reference.jsonl');
const BASE = ['monitor', 'serve', '--reference', REFERENCE, '--no-gpu', '--no-watch'];
const NO_STACK = /^\s+at .+:\d+:\d+\)?$/m;

function listenHttp(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (s: Server): number => (s.address() as AddressInfo).port;

/** Resolves with the URL the monitor prints once it serves. */
function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); const m = /listening (http:\/\/\S+)/.exec(out); if (m) resolve(m[1] as string); });
    child.once('exit', (code) => reject(new Error(`monitor exited with ${code} before listening`)));
  });
}

/** Resolves once nothing accepts connections on the port any more (the monitor stopped listening). */
async function untilRefused(port: number): Promise<void> {
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(false); });
      s.once('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a busy --port exits 1 with VIGIL_MONITOR_PORT_IN_USE, one line, no stack', async () => {
  const blocker = await listenHttp((_q, r) => r.end());
  try {
    const run = await runVigil([...BASE, '--port', String(portOf(blocker)), '--log-level', 'silent'], { env: TOKEN_ENV, timeoutMs: 60_000 });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /error\[VIGIL_MONITOR_PORT_IN_USE\] port \d+ on 127\.0\.0\.1/);
    assert.doesNotMatch(run.stderr, NO_STACK);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  } finally {
    blocker.close();
  }
});

test('a tokens file with a syntax error is refused without quoting any of it (JSON through the CLI, YAML cases in-process)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tokens-'));
  const secret = 'Zq9XwK7vJp3Lm2Rt';
  // No 5-character piece of the token appears (the file name and message are ours).
  const quotes = (text: string) => Array.from({ length: secret.length - 4 }, (_, i) => secret.slice(i, i + 5)).some((piece) => text.includes(piece));
  const json = join(dir, 'tokens.json');
  writeFileSync(json, `[{"token": ${secret}, "role": "admin"}]`);
  const run = await runVigil([...BASE, '--port', '0', '--tokens-file', json, '--log-level', 'silent'], { timeoutMs: 60_000 });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error\[VIGIL_MONITOR_BAD_TOKENS_FILE\] tokens file \S+tokens\.json: not valid JSON/);
  assert.ok(!quotes(run.stderr), run.stderr);
  const yamls = {
    'flow.yaml': `- {token: ${secret}, role: admin\n`,
    'quote.yaml': `- token: "${secret}\n  role: admin\n`,
    'nested.yaml': `- token: ${secret}: x: y\n  role: admin\n`,
  };
  for (const [name, text] of Object.entries(yamls)) {
    const file = join(dir, name);
    writeFileSync(file, text);
    const err = (() => { try { loadTokens({}, file); } catch (e) { return e as { code: string; message: string }; } return undefined; })();
    assert.equal(err?.code, 'VIGIL_MONITOR_BAD_TOKENS_FILE', name);
    assert.match(err.message, /YAML syntax error at line \d+, column \d+ \([A-Z_]+\)/, name);
    assert.ok(!quotes(err.message), `${name}: ${err.message}`);
  }
});

test('SIGTERM drains an in-flight proxied request, then exits 0; a request past --drain-timeout is cut off', async () => {
  let release: (() => void) | undefined;
  const arrived: Array<() => void> = [];
  const upstream = await listenHttp((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/predict?hang') { arrived.shift()?.(); return; } // never answers
      release = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"outputs": [[0.5, 0.5]]}');
      arrived.shift()?.();
    });
  });
  try {
    for (const hang of [false, true]) {
      const child = spawnVigil([...BASE, '--port', '0', '--insecure-no-auth', '--upstream', `http://127.0.0.1:${portOf(upstream)}`, '--drain-timeout', hang ? '300ms' : '30s', '--log-level', 'warn']);
      const done = collectRun(child, 60_000);
      const url = await listening(child);
      const reached = new Promise<void>((resolve) => arrived.push(resolve));
      const reply = fetch(`${url}/predict${hang ? '?hang' : ''}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inputs": [[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]]}' })
        .then(async (r) => ({ status: r.status, body: await r.text() }), (err: Error) => ({ status: 0, body: err.message }));
      await reached;
      child.kill('SIGTERM');
      await untilRefused(Number(new URL(url).port));
      if (!hang) release?.();
      const answer = await reply;
      const run = await done;
      assert.equal(run.code, 0, run.stderr);
      if (hang) {
        assert.equal(answer.status, 0, 'the request past the deadline is cut off');
        assert.match(run.stderr, /still in flight at the drain deadline/);
      } else {
        assert.equal(answer.status, 200, 'the in-flight request is answered after SIGTERM');
        assert.equal(answer.body, '{"outputs": [[0.5, 0.5]]}');
      }
    }
  } finally {
    upstream.close();
  }
});
