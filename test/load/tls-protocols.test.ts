/**
 * The TLS flags over HTTP/2 and gRPC, against real TLS servers (the fixture servers, h2 by ALPN and
 * grpcs://) whose certificates are signed by a CA made here with openssl: without --ca the run fails
 * with class `connect` and a cause naming the TLS code and the flag to give; --ca trusts the CA;
 * --insecure skips verification; a server requiring a client certificate accepts --cert/--key only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess as vigil } from '../helpers/in-process.ts';
import { startFixtureServer, startGrpcFixtureServer } from '../../fixtures/servers/index.ts';
import type { LoadResult } from '../../load/index.ts';
import { tlsFailureInText, tlsFailureOf } from '../../load/tls-failure.ts';
import { makePki } from '../helpers/pki.ts';


const H2 = ['--http2', '--method', 'POST', '--path', '/predict', '--body', '{"inputs":[[1]]}'];
const GRPC = ['--protocol', 'kserve-v2', '--model', 'fixture', '--inputs', '[[1, 2]]'];

for (const kind of ['h2', 'grpcs'] as const) {
  test(`${kind}: --ca, --insecure, --cert/--key against real TLS servers with an openssl-made CA; a wrong CA is class connect with its TLS code`, { timeout: 120_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const pki = makePki(dir);
    const other = makePki(mkdtempSync(join(dir, 'other-'))); // a second, unrelated CA
    const tls = { key: readFileSync(pki.serverKey, 'utf8'), cert: readFileSync(pki.serverCert, 'utf8') };
    const start = async (mutual: boolean): Promise<string> => {
      const o = { tls: mutual ? { ...tls, ca: readFileSync(pki.ca, 'utf8') } : tls };
      const server = kind === 'h2' ? await startFixtureServer({ ...o, http2: true }) : await startGrpcFixtureServer(o);
      t.after(() => server.close());
      return server.url;
    };
    const run = async (url: string, extra: string[]): Promise<{ code: number; stderr: string; result: LoadResult }> => {
      const r = await vigil(['load', 'run', '--target', url, ...(kind === 'h2' ? H2 : GRPC), '-c', '1', '--requests', '3', '--progress', 'none', '--timeout', '5s', '--json', ...extra]);
      return { code: r.code, stderr: r.stderr, result: JSON.parse(r.stdout) as LoadResult };
    };
    const ok = (r: { code: number; stderr: string; result: LoadResult }): void => {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.result.summary.errors.total, 0, JSON.stringify(r.result.summary.errors));
      assert.deepEqual(r.result.summary.status, kind === 'h2' ? { 200: 3 } : { OK: 3 });
      assert.equal(Object.values(r.result.endpoints)[0]?.protocol, kind);
    };
    const refused = (r: { code: number; stderr: string; result: LoadResult }, code: RegExp, flag: RegExp): void => {
      assert.equal(r.code, 1);
      assert.equal(r.result.summary.errors.byClass.connect, 3, JSON.stringify(r.result.summary.errors));
      assert.match(r.stderr, /^vigil: error\[VIGIL_LOAD_NO_RESPONSE\] /m);
      assert.match(r.stderr, code);
      assert.match(r.stderr, flag);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack');
    };

    const plain = await start(false);
    refused(await run(plain, []), /TLS (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)/, /give --ca/);
    refused(await run(plain, ['--ca', other.ca]), /TLS (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)/, /give --ca/);
    ok(await run(plain, ['--ca', pki.ca]));
    ok(await run(plain, ['--insecure']));

    const mutual = await start(true);
    refused(await run(mutual, ['--ca', pki.ca]), /TLS ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED/, /give --cert and --key/);
    refused(await run(mutual, ['--insecure']), /TLS ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED/, /give --cert and --key/);
    ok(await run(mutual, ['--ca', pki.ca, '--cert', pki.clientCert, '--key', pki.clientKey]));
    ok(await run(mutual, ['--insecure', '--cert', pki.clientCert, '--key', pki.clientKey]));
    // A client certificate of another CA: the server refuses it. (A TLS 1.3 server checks it after the
    // client's handshake ends: grpc-js reports the alert, node:http2 sees its streams closed, `reset`.)
    const wrongClient = await run(mutual, ['--ca', pki.ca, '--cert', other.clientCert, '--key', other.clientKey]);
    assert.equal(wrongClient.code, 1);
    assert.deepEqual(wrongClient.result.summary.status, {});
    const e = wrongClient.result.summary.errors;
    assert.equal(e.total, 3, JSON.stringify(e));
    assert.equal(kind === 'h2' ? e.byClass.reset : e.byClass.connect, 3, JSON.stringify(e));
  });
}

test('TLS failures are recognised by code in a cause chain and by Node\'s message in gRPC details; other errors are not', () => {
  const wrapped = Object.assign(new Error('fetch failed'), { code: 'UND_ERR_SOCKET', cause: Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }) });
  assert.equal(tlsFailureOf(wrapped)?.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  assert.equal(tlsFailureOf(Object.assign(new Error('x:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps'), { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' }))?.message, 'tlsv13 alert certificate required');
  assert.equal(tlsFailureOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), undefined);
  const g = tlsFailureInText('No connection established. Last error: Error: self-signed certificate in certificate chain. Resolution note: ');
  assert.deepEqual(g && { code: g.code, message: g.message }, { code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' });
  assert.equal(tlsFailureInText('No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1'), undefined);
});
