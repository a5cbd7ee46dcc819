/**
 * HTTPS options against a real TLS server whose certificate is signed by a CA made here with
 * openssl: without --ca the run fails on verification (and says why); --ca trusts it; --insecure
 * skips verification; a server that requires a client certificate accepts --cert/--key only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess as vigil } from '../helpers/in-process.ts';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA. */
function makePki(dir: string): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string> {
  const ssl = (...args: string[]): void => { execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' }); };
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=vigil test CA');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const who of ['server', 'client']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=vigil test ${who}`);
    ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2', ...(who === 'server' ? ['-extfile', 'server.ext'] : []));
  }
  return { ca: join(dir, 'ca.pem'), serverCert: join(dir, 'server.pem'), serverKey: join(dir, 'server.key'), clientCert: join(dir, 'client.pem'), clientKey: join(dir, 'client.key') };
}

test('HTTPS: --ca, --insecure, --cert/--key against a real TLS server with an openssl-made CA', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pki = makePki(dir);
  const serve = async (mutual: boolean): Promise<string> => {
    const server = createServer({
      cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey),
      ...(mutual ? { ca: readFileSync(pki.ca), requestCert: true, rejectUnauthorized: true } : {}),
    }, (_req, res) => res.end('{}'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => server.close());
    return `https://127.0.0.1:${(server.address() as { port: number }).port}/predict`;
  };
  const run = (url: string, extra: string[]) => vigil(['load', 'run', url, '-c', '1', '--requests', '3', '--progress', 'none', '--timeout', '5s', ...extra]);

  const plain = await serve(false);
  const untrusted = await run(plain, []);
  assert.equal(untrusted.code, 1, untrusted.stderr);
  assert.match(untrusted.stderr, /error\[VIGIL_LOAD_NO_RESPONSE\].*(certificate|UNABLE_TO_VERIFY|SELF_SIGNED)/i);
  assert.equal((await run(plain, ['--ca', pki.ca])).code, 0);
  assert.equal((await run(plain, ['--insecure'])).code, 0);
  assert.equal((await run(plain, ['-k'])).code, 0);

  const mutual = await serve(true);
  const noClientCert = await run(mutual, ['--ca', pki.ca]);
  assert.equal(noClientCert.code, 1, 'a server requiring a client certificate refuses one without');
  const withCert = await run(mutual, ['--ca', pki.ca, '--cert', pki.clientCert, '--key', pki.clientKey]);
  assert.equal(withCert.code, 0, withCert.stderr);
  assert.match(withCert.stdout, /status codes: 200: 3/);

  const half = await run(mutual, ['--cert', pki.clientCert]);
  assert.match(half.stderr, /error\[VIGIL_LOAD_BAD_TLS\] --cert .* needs its pair/);
  const missing = await run(mutual, ['--ca', join(dir, 'nope.pem')]);
  assert.match(missing.stderr, /error\[VIGIL_LOAD_BAD_TLS\] --ca .*nope\.pem cannot be used: ENOENT/);
});
