import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { loadSloConfig, sloConfigSchema } from '../../alerts/index.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

function withConfig(text: string, fn: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-slo-'));
  try {
    const file = join(dir, 'slo.yaml');
    writeFileSync(file, text);
    fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('defaults come from SPEC: P99 500 ms, 99.9 %, GPU 90 % for 1m, 10 MB/s over 5m', () => {
  const c = loadSloConfig();
  assert.equal(c.latency.p99, 500);
  assert.equal(c.availability.objective, '99.9');
  assert.equal(c.gpu.utilization, 0.9);
  assert.equal(c.gpu.utilizationFor, 60_000);
  assert.equal(c.memory.maxGrowth, 10_000_000);
  assert.equal(c.memory.growthWindow, 300_000);
  assert.deepEqual(c.availability.burnRates.map((b) => [b.long / 3_600_000, b.short / 60_000, b.factor, b.severity]), [
    [1, 5, 14.4, 'critical'], [6, 30, 6, 'critical'], [24, 120, 3, 'warning'], [72, 360, 1, 'warning'],
  ]);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.latency));
});

test('alerts/slo.yaml documents exactly the defaults', () => {
  const documented = sloConfigSchema.parse(parseYaml(readFileSync(join(REPO_ROOT, 'alerts', 'slo.yaml'), 'utf8')));
  assert.deepEqual(documented, sloConfigSchema.parse({}));
});

test('a config overrides what it names and keeps the other defaults', () => {
  withConfig('latency: { p99: 250ms }\navailability: { objective: "99.95%" }\ngpu: { utilization: 80% }\n', (file) => {
    const c = loadSloConfig(file);
    assert.equal(c.latency.p99, 250);
    assert.equal(c.latency.for, 60_000);
    assert.equal(c.availability.objective, '99.95');
    assert.equal(c.gpu.utilization, 0.8);
    assert.equal(c.gpu.memory, 0.95);
  });
});

test('bad configs are rejected with VIGIL_CONFIG_INVALID naming the key path', () => {
  const cases: [yaml: string, path: RegExp][] = [
    ['latency: { p99: 500ms, p95: 200ms }\n', /latency.*p95/],       // unknown key
    ['bogus: 1\n', /bogus/],
    ['latency: { p99: fast }\n', /latency\.p99/],
    ['availability: { objective: 100 }\n', /availability\.objective/],
    ['availability: { objective: 99.99999999 }\n', /availability\.objective/],
    ['gpu: { utilization: 150% }\n', /gpu\.utilization/],
    ['availability: { burnRates: [] }\n', /availability\.burnRates/],
    ['availability: { burnRates: [{ long: 1h, short: 5m, factor: 14.4, severity: page, for: 2m }] }\n', /burnRates\[0\]\.severity/],
    ['memory: { limit: lots }\n', /memory\.limit/],
    ['runbookBaseUrl: not a url\n', /runbookBaseUrl/],
  ];
  for (const [yaml, path] of cases) {
    withConfig(yaml, (file) => {
      assert.throws(() => loadSloConfig(file), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'VIGIL_CONFIG_INVALID', yaml);
        assert.match(err.message, path, yaml);
        return true;
      });
    });
  }
});
