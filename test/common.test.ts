import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { parseDurationMs, parseSizeBytes, parsePercent, validateConfig, VigilError } from '../common/index.ts';

test('durations parse to milliseconds', () => {
  const cases: [string, number][] = [['30s', 30_000], ['1m30s', 90_000], ['250ms', 250], ['1.5h', 5_400_000], ['10', 10_000]];
  for (const [text, ms] of cases) assert.equal(parseDurationMs(text), ms, text);
});

test('bad durations name the value and the rule', () => {
  for (const bad of ['abc', '10 parsecs', '', '-5s', '1x']) {
    assert.throws(() => parseDurationMs(bad, '--duration'), (err: unknown) => err instanceof VigilError && err.code === 'VIGIL_BAD_DURATION', bad);
  }
});

test('sizes and percentages', () => {
  assert.equal(parseSizeBytes('4GiB'), 4 * 1024 ** 3);
  assert.equal(parseSizeBytes('512MB'), 512e6);
  assert.equal(parsePercent('10%'), 0.1);
  assert.equal(parsePercent('0.25'), 0.25);
  assert.throws(() => parseSizeBytes('4 bananas'), (e: unknown) => (e as VigilError).code === 'VIGIL_BAD_SIZE');
});

test('config validation rejects unknown keys with the path of the bad key', () => {
  const schema = z.object({ a: z.object({ b: z.number() }).strict() }).strict();
  assert.throws(() => validateConfig({ a: { b: 'x' } }, 'c.yaml', schema), (e: unknown) => (e as VigilError).code === 'VIGIL_CONFIG_INVALID' && /a\.b/.test((e as Error).message));
  assert.throws(() => validateConfig({ a: { b: 1, c: 2 } }, 'c.yaml', schema), (e: unknown) => /c/.test((e as Error).message));
  const ok = validateConfig({ a: { b: 1 } }, 'c.yaml', schema);
  assert.ok(Object.isFrozen(ok.a));
});
