import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interpolateEnv } from '../../load/env-interpolate.ts';
import { loadScenarioFile } from '../../load/scenario.ts';
import { testOutputDir } from '../helpers/cli.ts';

const env = { HOST: 'http://10.0.0.5:8080', RATE: '75', EMPTY: '' };

test('${VAR} and ${VAR:-default} (table, docker compose semantics)', () => {
  const cases: [string, string][] = [
    ['target: ${HOST}', 'target: http://10.0.0.5:8080'],
    ['rate: ${RATE:-50}', 'rate: 75'],
    ['rate: ${UNSET:-50}', 'rate: 50'],
    ['x: ${EMPTY:-fallback}', 'x: fallback'],
    ['x: "${EMPTY}"', 'x: ""'],
    ['x: $${HOST}', 'x: ${HOST}'],
    ['x: $HOST ${HOST}s', 'x: $HOST http://10.0.0.5:8080s'],
    ['url: ${UNSET:-http://a:1/p?q=1}', 'url: http://a:1/p?q=1'],
  ];
  for (const [input, want] of cases) assert.equal(interpolateEnv(input, env, 'f.yaml'), want, input);
  assert.throws(() => interpolateEnv('a: 1\ntarget: ${NOPE}\nb: ${ALSO_NOPE}', env, 'f.yaml'), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'VIGIL_LOAD_ENV_UNSET');
    assert.match(err.message, /f\.yaml: NOPE \(line 2\), ALSO_NOPE \(line 3\) not set/);
    return true;
  });
});

test('a scenario file takes its target and rate from the environment, numbers as numbers', () => {
  const file = join(testOutputDir('env-interpolate'), 'scenario.yaml');
  writeFileSync(file, 'target: ${HOST}\nrate: ${RATE:-50}\nduration: ${DURATION:-5s}\nrequests:\n  - { path: /predict }\n');
  const s = loadScenarioFile(file, env);
  assert.deepEqual([s.target, s.rate, s.duration], ['http://10.0.0.5:8080', 75, '5s']);
});
