import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { Registry } from 'prom-client';
import { parseMonitorConfig } from '../../monitor/config.ts';
import { MonitorEngine } from '../../monitor/engine.ts';
import type { EvaluationClient } from '../../monitor/evaluation/client.ts';
import type { EvaluateMessage, Evaluation } from '../../monitor/evaluation/types.ts';
import { createLogger } from '../../monitor/logger.ts';
import { createMonitorMetrics } from '../../monitor/metrics.ts';
import { parseReferenceRows } from '../../monitor/state/reference-set.ts';
import { gaussianRows } from './helpers.ts';

/** An evaluator whose evaluations finish only when the test says so. */
function manualEvaluator() {
  const calls: { msg: Omit<EvaluateMessage, 'type' | 'id'>; finish: () => void }[] = [];
  const client = {
    setReference: () => undefined,
    evaluate: (msg: Omit<EvaluateMessage, 'type' | 'id'>) => new Promise<Evaluation>((resolve) => {
      const stream = { source: 'inputs' as const, detected: false, ks: { correction: 'bonferroni' as const, detected: false, pValue: 1, features: [] }, mmd: { mmd2: 0, pValue: 1, detected: false, sigma: [1], permutations: 10 } };
      calls.push({ msg, finish: () => resolve({ seq: msg.seq, at: new Date().toISOString(), windowSamples: msg.inputs.rows, durationMs: 1, drift: false, family: { method: 'minp', alpha: 0.05, tests: 1, pValue: 1, drift: false, decidedBy: { source: 'inputs', test: 'mmd', pValue: 1 } }, inputs: stream }) });
      client.emitter.emit('call');
    }),
    observeOnline: () => Promise.resolve({ enabled: false as const, reason: 'test' }),
    resetOnline: () => undefined,
    emitter: new EventEmitter(),
  };
  return { client, calls };
}

test('evaluations run one at a time; requests during one coalesce into exactly one more, on the latest window', async () => {
  const config = parseMonitorConfig({ reference: 'r.jsonl', window: 50, evaluateEvery: 10, evaluateMinGap: 0, evaluateInterval: '1h', minSamples: 10 });
  const { client, calls } = manualEvaluator();
  const engine = await MonitorEngine.create({ config, metrics: createMonitorMetrics(new Registry(), 'none'), evaluator: client as unknown as EvaluationClient, logger: createLogger('silent') }, parseReferenceRows(gaussianRows(20, 2, 1), 'test'));
  const batch = (n: number) => ({ inputs: { data: new Float64Array(n * 2), rows: n, cols: 2 } });
  await engine.observe(batch(10), 'api');
  assert.equal(calls.length, 1, 'the 10th sample starts an evaluation');
  for (let i = 0; i < 5; i++) await engine.observe(batch(10), 'api');
  assert.equal(calls.length, 1, 'no second evaluation while one runs');
  const next = once(client.emitter, 'call');
  calls[0]?.finish();
  await next;
  assert.equal(calls.length, 2, 'exactly one more after it');
  assert.equal(calls[1]?.msg.inputs.rows, 50, 'on the window as it is then');
  calls[1]?.finish();
  await once(engine, 'evaluation');
  assert.equal(engine.history.length, 2);
  engine.close();
});
