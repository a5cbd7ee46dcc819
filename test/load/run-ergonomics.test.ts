/** What autocannon and k6 users type: a positional URL and autocannon's short flags. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { runInProcess as vigil } from '../helpers/in-process.ts';
import { applyPositionalTarget } from '../../cli/positional-target.ts';

test('a positional URL is the target; its path is the request path unless --path or a replay makes it a base (table)', () => {
  const cases: [string | undefined, Record<string, string>, Record<string, string | undefined>][] = [
    ['http://h:8080/predict', {}, { target: 'http://h:8080', path: '/predict', scenarioFile: undefined }],
    ['http://h:8080/predict?v=2', {}, { target: 'http://h:8080', path: '/predict?v=2', scenarioFile: undefined }],
    ['https://h/', {}, { target: 'https://h/', scenarioFile: undefined }],
    ['http://h/v1', { path: '/predict' }, { target: 'http://h/v1', path: '/predict', scenarioFile: undefined }],
    ['http://h/v1', { replay: 'x.jsonl' }, { target: 'http://h/v1', replay: 'x.jsonl', scenarioFile: undefined }],
    ['http://u:p@h/predict', {}, { target: 'http://u:p@h', path: '/predict', scenarioFile: undefined }],
    ['scenario.yaml', {}, { scenarioFile: 'scenario.yaml' }],
    [undefined, { target: 'http://h' }, { target: 'http://h', scenarioFile: undefined }],
  ];
  for (const [arg, flags, want] of cases) assert.deepEqual(applyPositionalTarget(arg, flags), want, String(arg));
  assert.throws(() => applyPositionalTarget('http://a/', { target: 'http://b/' }), { code: 'VIGIL_LOAD_TWO_TARGETS' });
});

test('vigil load run -c -d -m -H -b URL and -R: autocannon\'s short flags reach the server as sent', async (t) => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => { seen.push(`${req.method} ${req.url} ${String(req.headers['x-model'])} ${body}`); res.end('{}'); });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const closed = await vigil(['load', 'run', '-c', '2', '-d', '0.5', '-m', 'PUT', '-H', 'x-model: resnet', '-b', '{"inputs":[[1]]}', `${base}/predict?v=1`, '--progress', 'none', '--json']);
  assert.equal(closed.code, 0, closed.stderr);
  const r = JSON.parse(closed.stdout) as { config: { connections: number; durationS: number }; summary: { requests: number } };
  assert.deepEqual([r.config.connections, r.config.durationS], [2, 0.5]);
  assert.ok(seen.length > 0 && seen.length === r.summary.requests);
  assert.deepEqual([...new Set(seen)], ['PUT /predict?v=1 resnet {"inputs":[[1]]}']);
  const open = await vigil(['load', 'run', '-R', '20', '-d', '1', base, '--progress', 'none', '--json']);
  assert.equal(open.code, 0, open.stderr);
  const o = JSON.parse(open.stdout) as { config: { model: string; rate: number }; summary: { requests: number } };
  assert.deepEqual([o.config.model, o.config.rate, o.summary.requests], ['open', 20, 20]);
  const two = await vigil(['load', 'run', base, '--target', base]);
  assert.match(two.stderr, /error\[VIGIL_LOAD_TWO_TARGETS\]/);
});
