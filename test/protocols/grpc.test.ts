import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, Metadata, Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { loadSync, type ServiceDefinition } from '@grpc/proto-loader';
import { resolveLoadOptions, runLoad, type LoadResult } from '../../load/index.ts';
import { KSERVE_V2_PROTO, loadUnaryMethod, MODEL_INFER } from '../../load/grpc/methods.ts';
import { startGrpcFixtureServer } from '../../fixtures/servers/index.ts';
import { loadReferenceModel } from '../../monitor/inference/index.ts';
import { REPO_ROOT, runVigil } from '../helpers/cli.ts';

const ECHO_PROTO = join(REPO_ROOT, 'fixtures', 'grpc', 'echo.proto');
const CLASSIFIER = join(REPO_ROOT, 'fixtures', 'models', 'classifier.onnx');
const LOADER = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true };

interface Seen { request: { text?: string; features?: number[]; options?: { top_k?: number } }; tenant: string | undefined }

/** A Scorer server: every 4th call RESOURCE_EXHAUSTED, text "slow" answers after 300 ms. */
async function scorerServer(): Promise<{ address: string; seen: Seen[]; close(): void }> {
  const def = loadSync(ECHO_PROTO, LOADER)['vigil.example.Scorer'] as ServiceDefinition;
  const seen: Seen[] = [];
  const server = new Server();
  server.addService(def, {
    Score: (call: ServerUnaryCall<Seen['request'], unknown>, reply: sendUnaryData<unknown>) => {
      seen.push({ request: call.request, tenant: call.metadata.get('x-tenant')[0] as string | undefined });
      if (call.request.text === 'slow') { setTimeout(() => reply(null, { score: 0 }), 300); return; }
      if (seen.length % 4 === 0) { reply({ code: status.RESOURCE_EXHAUSTED, details: 'quota' }); return; }
      reply(null, { score: 0.75, label: 'ok' });
    },
  } as UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { address: `127.0.0.1:${port}`, seen, close: () => server.forceShutdown() };
}

test('vigil load run --target grpc:// --proto --method --body: any unary method, metadata from --header, statuses counted by name', async (t) => {
  const server = await scorerServer();
  t.after(() => server.close());
  const run = await runVigil(['load', 'run', '--target', `grpc://${server.address}`, '--proto', ECHO_PROTO, '--method', 'vigil.example.Scorer/Score',
    '--body', '{"text":"hello","features":[0.5,1.5],"options":{"top_k":3}}', '--header', 'X-Tenant: team-a', '--connections', '2', '--requests', '40', '--json', '--progress', 'none']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as LoadResult;
  assert.equal(result.summary.requests, 40);
  assert.deepEqual(result.summary.status, { OK: 30, RESOURCE_EXHAUSTED: 10 });
  assert.equal(result.summary.errors.byClass.grpc, 10);
  assert.equal(result.summary.errors.total, 10);
  const ep = result.endpoints['vigil.example.Scorer/Score'];
  assert.equal(ep?.protocol, 'grpc');
  assert.equal(ep?.requests, 40);
  assert.equal(server.seen.length, 40);
  assert.deepEqual(server.seen[0], { request: { text: 'hello', features: [0.5, 1.5], options: { top_k: 3 } }, tenant: 'team-a' });
});

test('gRPC --timeout is the call deadline (class timeout); an unreachable server is `connect`', async (t) => {
  const server = await scorerServer();
  t.after(() => server.close());
  const slow = await runLoad(resolveLoadOptions({ target: `grpc://${server.address}`, proto: ECHO_PROTO, method: 'vigil.example.Scorer/Score', body: '{"text":"slow"}', timeout: '100ms', connections: '2', requests: '4', progress: 'none' }));
  assert.equal(slow.summary.errors.byClass.timeout, 4, JSON.stringify(slow.summary.errors));
  assert.deepEqual(slow.summary.status, {});
  const refused = await runLoad(resolveLoadOptions({ target: 'grpc://127.0.0.1:9', proto: ECHO_PROTO, method: 'vigil.example.Scorer/Score', body: '{}', timeout: '2s', connections: '1', requests: '2', progress: 'none' }));
  assert.equal(refused.summary.errors.byClass.connect, 2, JSON.stringify(refused.summary.errors));
});

test('gRPC options are checked before the run: coded errors naming the bad value', () => {
  const grpc = { target: 'grpc://127.0.0.1:9', progress: 'none' as const };
  const cases: [string, Record<string, string | string[]>, RegExp][] = [
    ['no proto', {}, /needs --proto FILE and --method/],
    ['unknown field', { proto: ECHO_PROTO, method: 'vigil.example.Scorer/Score', body: '{"txt":"x"}' }, /txt is not a field of ScoreRequest/],
    ['unknown nested field', { proto: ECHO_PROTO, method: 'vigil.example.Scorer/Score', body: '{"options":{"topK":1}}' }, /options\.topK is not a field of Options/],
    ['unknown service', { proto: ECHO_PROTO, method: 'vigil.example.Nope/Score' }, /has no service vigil\.example\.Nope \(services: vigil\.example\.Scorer\)/],
    ['unknown method', { proto: ECHO_PROTO, method: 'vigil.example.Scorer/Nope' }, /has no method Nope \(methods: Score, Watch\)/],
    ['streaming', { proto: ECHO_PROTO, method: 'vigil.example.Scorer/Watch' }, /streaming method/],
    ['bad method name', { proto: ECHO_PROTO, method: 'POST' }, /package\.Service\/Method/],
    ['missing proto file', { proto: '/nope.proto', method: 'a.B/C' }, /cannot be loaded/],
    ['bad metadata key', { proto: ECHO_PROTO, method: 'vigil.example.Scorer/Score', header: ['grpc-timeout: 1'] }, /gRPC metadata keys/],
    ['bad protocol', { protocol: 'kserve-v1', model: 'm', inputs: '[1]' }, /use one of kserve-v2/],
    ['no model', { protocol: 'kserve-v2', inputs: '[1]' }, /needs the model name/],
    ['bad row', { protocol: 'kserve-v2', model: 'm', inputs: '[[1,2],[3]]' }, /row 1 has 1 values, row 0 has 2/],
    ['bad tensor', { protocol: 'kserve-v2', model: 'm', inputs: '{"inputs":[{"name":"x","shape":[2],"datatype":"INT8","data":[1,300]}]}' }, /data\[1\] 300 is not a whole number in INT8's range/],
    ['replay without proto', { replay: 'x.jsonl' }, /a gRPC replay file needs --proto FILE/],
    ['har with grpc', { har: 'x.har' }, /HAR files carry HTTP requests/],
  ];
  for (const [what, input, message] of cases) {
    assert.throws(() => resolveLoadOptions({ ...grpc, ...input }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'VIGIL_LOAD_BAD_PROTOCOL_OPTION', `${what}: ${err.message}`);
      assert.match(err.message, message, what);
      return true;
    }, what);
  }
});

test('--protocol kserve-v2: rows.jsonl (V2 objects, rows, batches) drive ModelInfer on the fixture gRPC server serving the ONNX model, answers equal the model', async (t) => {
  const server = await startGrpcFixtureServer({ model: { path: CLASSIFIER } });
  const reference = await loadReferenceModel(CLASSIFIER);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-v2-'));
  t.after(async () => { await server.close(); await reference.close(); rmSync(dir, { recursive: true, force: true }); });
  const row = (k: number): number[] => Array.from({ length: reference.inputDim }, (_, j) => Math.sin(k + j));
  const rows = join(dir, 'rows.jsonl');
  writeFileSync(rows, [
    JSON.stringify({ id: 'a', inputs: [{ name: 'input', shape: [1, reference.inputDim], datatype: 'FP32', data: [row(1)] }], parameters: { priority: 1 } }),
    JSON.stringify(row(2)),
    '',
    JSON.stringify([row(3), row(4)]),
  ].join('\n'));
  assert.equal(server.modelName, 'classifier');
  const result = await runLoad(resolveLoadOptions({ target: server.url, protocol: 'kserve-v2', model: 'classifier', inputs: `@${rows}`, connections: '3', requests: '30', progress: 'none' }));
  assert.deepEqual(result.summary.status, { OK: 30 });
  assert.equal(result.endpoints[`${MODEL_INFER} classifier`]?.protocol, 'grpc');

  // The fixture server answers what the model computes (float32 on the wire).
  const infer = loadUnaryMethod(KSERVE_V2_PROTO, MODEL_INFER);
  const def = loadSync(KSERVE_V2_PROTO, LOADER)['inference.GRPCInferenceService'] as ServiceDefinition;
  const decode = def['ModelInfer']?.responseDeserialize as (b: Buffer) => { outputs: { shape: string[]; contents: { fp32_contents: number[] } }[] };
  const client = new Client(server.url.replace('grpc://', ''), credentials.createInsecure());
  t.after(() => client.close());
  const rowsIn = [row(3), row(4)];
  const body = infer.encode({ model_name: 'classifier', inputs: [{ name: 'input', datatype: 'FP64', shape: [2, reference.inputDim], contents: { fp64_contents: rowsIn.flat() } }] });
  const answer = await new Promise<Buffer>((resolve, reject) => client.makeUnaryRequest(infer.path, (b: Buffer) => b, (b: Buffer) => b, body, new Metadata(), {}, (e, v) => (e ? reject(e) : resolve(v as Buffer))));
  const out = decode(answer).outputs[0];
  const expected = await reference.predict({ data: Float64Array.from(rowsIn.flat()), rows: 2, cols: reference.inputDim });
  assert.deepEqual(out?.shape, ['2', String(expected.cols)]);
  out?.contents.fp32_contents.forEach((v, i) => assert.ok(Math.abs(v - (expected.data[i] as number)) < 1e-5, `output ${i}: ${v} vs ${expected.data[i]}`));

  const wrong = await runLoad(resolveLoadOptions({ target: server.url, protocol: 'kserve-v2', model: 'nope', inputs: JSON.stringify(row(1)), connections: '1', requests: '2', progress: 'none' }));
  assert.deepEqual(wrong.summary.status, { NOT_FOUND: 2 });
});

test('--protocol kserve-v2 on an http:// target sends the same rows as REST V2 bodies', () => {
  const o = resolveLoadOptions({ target: 'http://127.0.0.1:8080', protocol: 'kserve-v2', model: 'iris', modelVersion: '2', inputs: '[[5.1, 3.5], [6.2, 2.9]]', progress: 'none' });
  const r = o.source.at(0);
  assert.equal(r.method, 'POST');
  assert.equal(r.url, '/v2/models/iris/versions/2/infer');
  assert.equal(r.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(Buffer.from(r.body ?? []).toString()), { inputs: [{ name: 'input', shape: [2, 2], datatype: 'FP32', data: [5.1, 3.5, 6.2, 2.9] }] });
});

test('gRPC replay files: one call per line (method, body, metadata, t), timed for --timing original; bad lines named', async (t) => {
  const server = await scorerServer();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-grpc-replay-'));
  t.after(() => { server.close(); rmSync(dir, { recursive: true, force: true }); });
  const file = join(dir, 'calls.jsonl');
  writeFileSync(file, [
    JSON.stringify({ method: 'vigil.example.Scorer/Score', body: { text: 'a' }, metadata: { 'x-tenant': 'one' }, t: 0 }),
    JSON.stringify({ body: { text: 'b', options: { explain: true } }, t: 0.1, name: 'explained' }),
    '',
    JSON.stringify({ body: { text: 'c' }, t: 0.05 }),
  ].join('\n'));
  const result = await runLoad(resolveLoadOptions({ target: `grpc://${server.address}`, proto: ECHO_PROTO, method: 'vigil.example.Scorer/Score', replay: file, timing: 'original', progress: 'none' }));
  assert.equal(result.summary.requests, 3);
  assert.deepEqual(server.seen.map((s) => [s.request.text, s.tenant]), [['a', 'one'], ['c', undefined], ['b', undefined]]);
  assert.deepEqual(Object.keys(result.endpoints).sort(), ['explained', 'vigil.example.Scorer/Score']);
  writeFileSync(file, [JSON.stringify({ body: { txt: 'x' } }), JSON.stringify({ method: 'vigil.example.Scorer/Nope' }), 'nope'].join('\n'));
  assert.throws(() => resolveLoadOptions({ target: `grpc://${server.address}`, proto: ECHO_PROTO, method: 'vigil.example.Scorer/Score', replay: file, progress: 'none' }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'VIGIL_LOAD_BAD_PROTOCOL_OPTION');
    assert.match(err.message, /calls\.jsonl:1: .*txt is not a field of ScoreRequest/);
    assert.match(err.message, /calls\.jsonl:2: .*has no method Nope/);
    assert.match(err.message, /calls\.jsonl:3: /);
    return true;
  });
});
