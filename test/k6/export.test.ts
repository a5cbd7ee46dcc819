import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { exportK6, k6Duration, toK6Threshold } from '../../load/k6/index.ts';
import { resolveLoadOptions } from '../../load/index.ts';
import { REPO_ROOT, runVigil, testOutputDir } from '../helpers/cli.ts';

const TRAFFIC = join(REPO_ROOT, 'fixtures', 'traffic');
const dir = join(testOutputDir('k6-export'), 'generated-k6');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

function scenario(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/** The `options` object literal of a generated script. */
function optionsOf(script: string): { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, string[]> } {
  const m = /export const options: Options = (\{[\s\S]*?\n\});/.exec(script);
  assert.ok(m, 'options block');
  return JSON.parse(m[1] as string);
}

test('thresholds translate to k6 syntax (table-driven)', () => {
  const cases: [string, string, string][] = [
    ['p99<250ms', 'http_req_duration', 'p(99)<250'],
    ['p95 <= 0.3s', 'http_req_duration', 'p(95)<=300'],
    ['p50<20ms', 'http_req_duration', 'med<20'],
    ['p999<1s', 'http_req_duration', 'p(99.9)<1000'],
    ['mean<100ms', 'http_req_duration', 'avg<100'],
    ['max<2s', 'http_req_duration', 'max<2000'],
    ['error_rate<1%', 'http_req_failed', 'rate<0.01'],
    ['error_rate<0.05', 'http_req_failed', 'rate<0.05'],
    ['qps>100', 'http_reqs', 'rate>100'],
  ];
  for (const [vigil, metric, expr] of cases) assert.deepEqual(toK6Threshold(vigil), { metric, expr }, vigil);
  assert.throws(() => toK6Threshold('p99 fast'), { code: 'VIGIL_LOAD_BAD_THRESHOLD' });
  assert.deepEqual(['250ms', '30s', '1m30s', '2h', '0s'], [250, 30_000, 90_000, 7_200_000, 0].map(k6Duration));
});

test('export-k6 writes scripts that type-check against @types/k6, with the same requests, executors and thresholds', async (t) => {
  // 1. Inline requests, open model, warmup: a warmup scenario first, thresholds on the main one.
  const inline = scenario('inline.yaml', [
    'target: http://127.0.0.1:8080',
    'requests:',
    '  - { name: predict, method: POST, path: /predict, headers: { content-type: application/json }, body: { inputs: [[1, 2]] } }',
    '  - { method: GET, path: /v1/models/3 }',
    '  - { name: bin, method: POST, path: /raw, body_base64: "AAEC/w==" }',
    'rate: 50', 'duration: 30s', 'warmup: 5s', 'timeout: 2s',
    'thresholds: ["p99<300ms", "error_rate<1%", "qps>40"]',
  ].join('\n'));
  const a = exportK6(resolveLoadOptions({ scenarioFile: inline }), { from: 'inline.yaml', dataFile: 'inline.requests.json', replay: false });
  writeFileSync(join(dir, 'inline.ts'), a.script);
  assert.equal(a.data, undefined);
  const ao = optionsOf(a.script);
  assert.deepEqual(ao.scenarios.main, { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '30s', preAllocatedVUs: 5, maxVUs: 100, startTime: '5s' });
  assert.deepEqual(ao.scenarios.warmup, { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '5s', preAllocatedVUs: 5, maxVUs: 100, tags: { vigil_phase: 'warmup' } });
  assert.deepEqual(ao.thresholds, { 'http_req_duration{scenario:main}': ['p(99)<300'], 'http_req_failed{scenario:main}': ['rate<0.01'], 'http_reqs{scenario:main}': ['rate>40'] });
  assert.match(a.script, /"name": "predict",\n\s+"method": "POST",\n\s+"url": "\/predict"/);
  assert.match(a.script, /"name": "GET \/v1\/models\/:id"/);
  assert.match(a.script, /"body": "AAEC\/w==",\n\s+"base64": true/);
  assert.match(a.script, /timeout: "2s"/);

  // 2. HAR replay, closed model with a request count → shared-iterations, data file beside the script.
  const har = scenario('har.yaml', `target: http://127.0.0.1:8080\nhar: ${join(TRAFFIC, 'session.har')}\nconnections: 5\niterations: 100\n`);
  const b = exportK6(resolveLoadOptions({ scenarioFile: har }), { from: 'har.yaml', dataFile: 'har.requests.json', replay: true });
  writeFileSync(join(dir, 'har.ts'), b.script);
  writeFileSync(join(dir, 'har.requests.json'), b.data ?? '');
  assert.deepEqual(optionsOf(b.script).scenarios.main, { executor: 'shared-iterations', vus: 5, iterations: 100, maxDuration: '24h' });
  const harData = JSON.parse(b.data ?? '[]') as { url: string; method: string }[];
  assert.deepEqual(harData.map((r) => `${r.method} ${r.url}`), ['GET /v1/models/42', 'POST /predict?api_key=har-query-key-7f3a9c&model=resnet', 'POST /v1/feedback', 'POST /v1/upload']);
  assert.equal(b.secretHeaders, 2);

  // 3. JSONL replay with stages through the real binary, with a k6-operator TestRun.
  const jsonl = scenario('replay.yaml', `target: http://127.0.0.1:8080\nreplay: ${join(TRAFFIC, 'secrets.jsonl')}\nstages: [{ duration: 30s, target: 100 }, { duration: 1m, target: 100 }, { duration: 10s, target: 0 }]\nthresholds: ["p95<0.5s"]\n`);
  const run = await runVigil(['load', 'export-k6', jsonl, '--out', join(dir, 'replay.ts'), '--k6-operator', '--parallelism', '4']);
  assert.equal(run.code, 0, run.stderr);
  const c = readFileSync(join(dir, 'replay.ts'), 'utf8');
  assert.match(c, /new SharedArray<VigilRequest>\('vigil requests', \(\) => JSON\.parse\(open\("\.\/replay\.requests\.json"\)\)/);
  assert.deepEqual(optionsOf(c).scenarios.main, { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 10, maxVUs: 1000, stages: [{ duration: '30s', target: 100 }, { duration: '1m', target: 100 }, { duration: '10s', target: 0 }] });
  assert.deepEqual(optionsOf(c).thresholds, { http_req_duration: ['p(95)<500'] });
  assert.equal((JSON.parse(readFileSync(join(dir, 'replay.requests.json'), 'utf8')) as unknown[]).length, 3);
  const testRun = parseYaml(readFileSync(join(dir, 'replay.testrun.yaml'), 'utf8')) as { apiVersion: string; kind: string; spec: { parallelism: number; script: { configMap: { name: string; file: string } } } };
  assert.equal(testRun.apiVersion, 'k6.io/v1alpha1');
  assert.equal(testRun.kind, 'TestRun');
  assert.equal(testRun.spec.parallelism, 4);
  assert.deepEqual(testRun.spec.script.configMap, { name: 'replay-script', file: 'replay.ts' });
  assert.match(readFileSync(join(dir, 'replay.testrun.yaml'), 'utf8'), /kubectl create configmap replay-script --from-file=replay\.ts --from-file=replay\.requests\.json/);

  // Every generated script type-checks against @types/k6 (strict).
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noUncheckedIndexedAccess: true, noEmit: true, target: 'ES2020', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2020'], types: ['k6'], typeRoots: [join(REPO_ROOT, 'node_modules', '@types')], skipLibCheck: false },
    include: ['*.ts'],
  }));
  const tsc = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, `tsc: ${tsc.stdout}${tsc.stderr}`);
  t.diagnostic(`type-checked ${dir}/*.ts against @types/k6`);
});

test('what k6 cannot express is refused with a code', async () => {
  const original = scenario('original.yaml', `target: http://127.0.0.1:8080\nreplay: ${join(TRAFFIC, 'secrets.jsonl')}\ntiming: original\n`);
  assert.throws(() => exportK6(resolveLoadOptions({ scenarioFile: original }), { from: 'x', dataFile: 'x.json', replay: true }), { code: 'VIGIL_K6_EXPORT_UNSUPPORTED' });
  const bad = await runVigil(['load', 'export-k6', original, '--out', join(dir, 'never.ts'), '--k6-operator', '--parallelism', '0']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /VIGIL_K6_BAD_PARALLELISM/);
});
