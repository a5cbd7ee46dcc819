import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isVigilError } from '../../common/errors.ts';
import { resolveLoadOptions, type LoadInput } from '../../load/index.ts';
import { parseSlo, meetsSlos, isPerRequestSlo } from '../../load/goodput.ts';
import { testOutputDir } from '../helpers/cli.ts';

const base: LoadInput = { target: 'http://127.0.0.1:9', path: '/v1/chat/completions', progress: 'none' };
const code = (c: string) => (e: unknown): boolean => isVigilError(e) && e.code === c;

test('options: --arrival, --burstiness, --seed, --slo, --deadline resolve; the seed is echoed', () => {
  const o = resolveLoadOptions({ ...base, rate: '10', arrival: 'gamma', burstiness: '0.5', seed: '42', slo: ['ttft<500ms', 'tpot <= 50ms', 'e2e<2s'], deadline: '30s' });
  assert.deepEqual(o.arrival, { kind: 'gamma', burstiness: 0.5, seed: 42 });
  assert.deepEqual(o.slo, ['ttft<500ms', 'tpot <= 50ms', 'e2e<2s']);
  assert.equal(o.deadlineMs, 30_000);
  const p = resolveLoadOptions({ ...base, stages: '5s:10', arrival: 'poisson' });
  assert.equal(p.arrival?.kind, 'poisson');
  assert.ok(Number.isSafeInteger(p.arrival?.seed), 'a random seed is drawn and kept');
  assert.equal(resolveLoadOptions({ ...base, rate: '10' }).arrival, undefined);
});

test('options: bad arrival, SLO and deadline flags have coded errors', () => {
  const cases: [Partial<LoadInput>, string][] = [
    [{ rate: '10', arrival: 'bursty' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ connections: '2', arrival: 'poisson' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', arrival: 'poisson', burstiness: '2' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', burstiness: '2' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', arrival: 'gamma', burstiness: '0' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', arrival: 'gamma', burstiness: 'NaN' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', arrival: 'gamma', seed: '-1' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', arrival: 'gamma', seed: '1.5' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', seed: '3' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', arrival: 'constant', seed: '3' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', slo: ['p99<300ms'] }, 'VIGIL_LOAD_BAD_SLO'],
    [{ rate: '10', slo: ['ttft>5ms'] }, 'VIGIL_LOAD_BAD_SLO'],
    [{ rate: '10', slo: ['ttft<5%'] }, 'VIGIL_LOAD_BAD_SLO'],
    [{ rate: '10', slo: ['itl<5ms'] }, 'VIGIL_LOAD_BAD_SLO'],
    [{ rate: '10', deadline: '0s' }, 'VIGIL_LOAD_BAD_NUMBER'],
    [{ rate: '10', deadline: 'soon' }, 'VIGIL_BAD_DURATION'],
    [{ rate: '10', deadline: '25d' }, 'VIGIL_LOAD_BAD_NUMBER'],
    [{ rate: '10', arrival: 'gamma', burstiness: '0.001' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', arrival: 'gamma', burstiness: '1e6' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
    [{ rate: '10', arrival: 'gamma', seed: '4294967296' }, 'VIGIL_LOAD_BAD_ARRIVAL'],
  ];
  for (const [flags, want] of cases) assert.throws(() => resolveLoadOptions({ ...base, ...flags }), code(want), JSON.stringify(flags));
});

test('options: the scenario carries arrival, slo and deadline; a model flag drops the scenario\'s arrival process', () => {
  const dir = testOutputDir('stream-options');
  const file = join(dir, 'llm.yaml');
  writeFileSync(file, ['target: http://127.0.0.1:9', 'rate: 5', 'arrival: gamma', 'burstiness: 2', 'seed: 9', 'slo: ["ttft<1s"]', 'deadline: 20s', 'requests:', '  - path: /v1/completions', '    body: { "prompt": "hi" }'].join('\n'));
  const o = resolveLoadOptions({ scenarioFile: file, progress: 'none' });
  assert.deepEqual([o.arrival, o.slo, o.deadlineMs], [{ kind: 'gamma', burstiness: 2, seed: 9 }, ['ttft<1s'], 20_000]);
  assert.equal(resolveLoadOptions({ scenarioFile: file, connections: '2' }).arrival, undefined);
  assert.equal(resolveLoadOptions({ scenarioFile: file, rate: '7', seed: '1' }).arrival?.seed, 1);
  writeFileSync(file, ['target: http://127.0.0.1:9', 'connections: 5', 'arrival: poisson'].join('\n'));
  assert.throws(() => resolveLoadOptions({ scenarioFile: file }), code('VIGIL_LOAD_BAD_ARRIVAL'));
});

test('SLOs: per-request judgement — ttft falls back to the whole latency, tpot is met without two tokens', () => {
  const slos = ['ttft<500ms', 'tpot<=50ms', 'e2e<2s'].map(parseSlo);
  assert.deepEqual(slos.map((s) => [s.metric, s.inclusive, s.limitMs]), [['ttft', false, 500], ['tpot', true, 50], ['e2e', false, 2000]]);
  const cases: [number, number | undefined, number | undefined, boolean][] = [
    [1000, 100, 20, true],
    [1000, 500, 20, false], // < is strict
    [1000, 100, 50, true], // <= is not
    [1000, 100, 50.001, false],
    [2000, 100, 10, false],
    [400, undefined, undefined, true], // not streamed: TTFT = 400 ms, no TPOT
    [600, undefined, undefined, false], // not streamed: TTFT = 600 ms
  ];
  for (const [e2eMs, ttftMs, tpotMs, want] of cases) assert.equal(meetsSlos(slos, { e2eMs, ttftMs, tpotMs }), want, JSON.stringify([e2eMs, ttftMs, tpotMs]));
  assert.equal(parseSlo('e2e<1.5s').limitMs, 1500);
  assert.deepEqual(['ttft<1s', 'tpot<1ms', 'e2e<2s', 'p99<1s', 'ttft_p99<1s', 'error_rate<1%'].map(isPerRequestSlo), [true, true, true, false, false, false]);
});
