import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportK6, toK6Threshold } from '../../load/k6/index.ts';
import { resolveLoadOptions, type LoadInput } from '../../load/index.ts';

const base: LoadInput = { target: 'http://127.0.0.1:9', path: '/v1/chat/completions', body: '{"messages":[]}', rate: '5', duration: '10s' };
const opts = { from: 'x', dataFile: 'x.json', replay: false };

test('export-k6 refuses what k6 cannot express of an LLM run; --deadline becomes the request timeout', () => {
  for (const extra of [{ arrival: 'poisson' }, { slo: ['ttft<500ms'] }, { threshold: ['ttft_p99<1s'] }, { threshold: ['output_tokens_per_s>10'] }, { threshold: ['goodput>1'] }] as Partial<LoadInput>[]) {
    assert.throws(() => exportK6(resolveLoadOptions({ ...base, ...extra }), opts), { code: 'VIGIL_K6_EXPORT_UNSUPPORTED' }, JSON.stringify(extra));
  }
  assert.throws(() => toK6Threshold('itl_p50<5ms'), { code: 'VIGIL_K6_EXPORT_UNSUPPORTED' });
  const script = exportK6(resolveLoadOptions({ ...base, deadline: '2s', timeout: '10s' }), opts).script;
  assert.match(script, /timeout: "2s"/);
  assert.match(exportK6(resolveLoadOptions({ ...base, arrival: 'constant' }), opts).script, /constant-arrival-rate/);
});
