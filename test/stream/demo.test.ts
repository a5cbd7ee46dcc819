import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from '../../load/index.ts';
import { runVigil, testOutputDir } from '../helpers/cli.ts';

test('vigil demo llm (short): fixture LLM server + ShareGPT prompts at a rising Poisson rate; TTFT climbs as the batch fills; ends by itself', async () => {
  const dir = testOutputDir('stream-demo');
  const run = await runVigil(['demo', 'llm', '--duration', '4s', '--rate', '24', '--out-dir', dir], { timeoutMs: 90_000 });
  assert.ok(run.code === 0 || run.code === 99, run.stderr);
  assert.match(run.stdout, /^fixture LLM server: http:\/\/127\.0\.0\.1:\d+ /m);
  assert.match(run.stdout, /^replaying 48 ShareGPT prompts/m);
  assert.match(run.stdout, /^TTFT\s+[\d.]+/m);
  assert.match(run.stdout, /^goodput: [\d.]+ req\/s/m);
  assert.match(run.stdout, /^TTFT P99 per second: ≤ \d+ ms in the first quarter of the ramp, up to \d+ ms in the last/m);
  const result = JSON.parse(readFileSync(join(dir, 'llm-result.json'), 'utf8')) as LoadResult;
  assert.ok((result.summary.stream?.requests ?? 0) > 10);
  assert.equal(result.summary.stream?.outputTokens.source, 'usage');
  assert.deepEqual(result.summary.goodput?.slo, ['ttft<500ms', 'tpot<25ms']);
  assert.equal(result.config['arrival'], 'poisson');
  assert.ok(existsSync(join(dir, 'llm-report.html')));
  assert.match(run.stderr, /req\/s/); // progress on stderr
});
