import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWatchFlags } from '../../monitor/watch/run-watch.ts';
import { soakVerdict, SOAK_MIN_SPAN_SECONDS } from '../../monitor/watch/soak/verdict.ts';
import { DEFAULT_LEAK_POLICY } from '../../monitor/watch/leak.ts';
import { resolveMonitorConfig } from '../../monitor/config.ts';
import { onPath } from '../../common/on-path.ts';

test('vigil watch: binds 127.0.0.1 by default; a one-shot --duration run opens no port unless --port is given (table)', () => {
  const cases: [Record<string, string | boolean>, { host: string; port: number } | undefined][] = [
    [{}, { host: '127.0.0.1', port: 8491 }],
    [{ host: '0.0.0.0' }, { host: '0.0.0.0', port: 8491 }],
    [{ duration: '10s' }, undefined],
    [{ duration: '10s', json: true }, undefined],
    [{ duration: '10s', port: '0' }, { host: '127.0.0.1', port: 0 }],
  ];
  for (const [flags, listen] of cases) assert.deepEqual(parseWatchFlags({ watchSelf: true, ...flags }).listen, listen, JSON.stringify(flags));
});

test('the monitor defaults: port 8490 (outside the exporters\' 9100–9999 range; 9400 is dcgm-exporter\'s), GPU sampling auto', () => {
  const c = resolveMonitorConfig(undefined, { reference: 'fixtures/datasets/reference.jsonl' });
  assert.equal(c.port, 8490);
  assert.equal(c.watch.gpu, 'auto');
  assert.equal(onPath('sh'), true);
  assert.equal(onPath('nvidia-smi-that-does-not-exist'), false);
});

test('a soak shorter than the minimum span is inconclusive, not a leak; the same growth over the span is a leak', () => {
  // Memory rising 1 MB/s, sampled every 100 ms: a leak by every other criterion.
  const series = (seconds: number) => {
    const wallMs = Array.from({ length: seconds * 10 }, (_, i) => 1_000_000 + i * 100);
    return { target: 'pid:1', kind: 'rss', wallMs, bytes: wallMs.map((t) => 100e6 + (t - 1_000_000) * 1000), limitBytes: null };
  };
  const short = soakVerdict(series(25), DEFAULT_LEAK_POLICY, 2000, null);
  assert.deepEqual([short.inconclusive, short.leakSuspected], [true, false]);
  assert.equal(SOAK_MIN_SPAN_SECONDS, 1200);
  const long = soakVerdict(series(25), DEFAULT_LEAK_POLICY, 2000, null, 20);
  assert.deepEqual([long.inconclusive, long.leakSuspected], [false, true]);
});
