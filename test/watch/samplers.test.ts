import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import {
  pidSampler, selfSampler, prometheusSampler, parseCgroupLimit, parseProcCgroup, readCgroupMemoryLimit,
  parseMetricSelector, createWatcher, type Sampler, type SampleResult,
} from '../../monitor/watch/index.ts';
import { parseGrowthRate } from '../../monitor/watch/rate.ts';
import { watcherConfigFromFlags } from '../../monitor/watch/flags.ts';

const signal = new AbortController().signal;

function ok(r: SampleResult): Extract<SampleResult, { ok: true }> {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r;
}

test('pid sampler: VmRSS from /proc/PID/status in bytes, PSS from smaps_rollup', async () => {
  const r = ok(await pidSampler(process.pid).sample(signal));
  const kinds = new Map(r.memory.map((m) => [m.kind, m.bytes]));
  // Independent reading of the same file, around the sample (RSS moves a little in between).
  const vmRss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;
  assert.ok(Math.abs((kinds.get('rss') ?? 0) - vmRss) < 16 * 1024 * 1024, `${kinds.get('rss')} vs ${vmRss}`);
  assert.ok((kinds.get('pss') ?? 0) > 0, 'smaps_rollup is readable for our own process');
  assert.ok(r.memory.every((m) => m.target === `pid:${process.pid}`));
});

test('pid sampler: a fake /proc with exact values; a missing process is a failure, not a zero', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-proc-'));
  mkdirSync(join(root, '77'));
  writeFileSync(join(root, '77', 'status'), 'Name:\tpython3\nVmPeak:\t 999 kB\nVmRSS:\t  204800 kB\nRssAnon:\t  150000 kB\nVmSwap:\t       0 kB\n');
  writeFileSync(join(root, '77', 'smaps_rollup'), '00400000-7ffc [rollup]\nRss:     204800 kB\nPss:     180224 kB\n');
  const r = ok(await pidSampler(77, root).sample(signal));
  assert.deepEqual(Object.fromEntries(r.memory.map((m) => [m.kind, m.bytes])), { rss: 204800 * 1024, rss_anon: 150000 * 1024, swap: 0, pss: 180224 * 1024 });
  const gone = await pidSampler(78, root).sample(signal);
  assert.equal(gone.ok, false);
  assert.match(gone.ok ? '' : gone.error, /process 78 does not exist/);
});

test('self sampler: rss, heap_used, heap_total, external', async () => {
  const r = ok(await selfSampler().sample(signal));
  assert.deepEqual(r.memory.map((m) => m.kind), ['rss', 'heap_used', 'heap_total', 'external']);
  assert.ok(r.memory.every((m) => m.bytes > 0 && m.target === 'self'));
});

test('cgroup limits: v2 memory.max, v1 limit_in_bytes, "max" and the v1 unlimited value mean none', async () => {
  assert.equal(parseCgroupLimit('4294967296\n'), 4294967296);
  assert.equal(parseCgroupLimit('max\n'), undefined);
  assert.equal(parseCgroupLimit('9223372036854771712\n'), undefined);
  assert.deepEqual(parseProcCgroup('12:memory:/kubepods/pod1/c1\n0::/kubepods/pod1/c1\n'), { v1: '/kubepods/pod1/c1', v2: '/kubepods/pod1/c1' });
  assert.deepEqual(parseProcCgroup('4:cpu,memory:/docker/abc\n'), { v1: '/docker/abc' });
  // The namespace root is used when the process's own path does not exist (inside a container).
  const root = mkdtempSync(join(tmpdir(), 'vigil-cg-'));
  writeFileSync(join(root, 'memory.max'), '536870912\n');
  assert.equal(await readCgroupMemoryLimit('self', root), 536870912);
});

test('growth rates: size per time unit in bytes/s', () => {
  assert.equal(parseGrowthRate('1MiB/min'), 1024 * 1024 / 60);
  assert.equal(parseGrowthRate('10MB/s'), 10e6);
  assert.equal(parseGrowthRate('36MB/h'), 10_000);
  assert.throws(() => parseGrowthRate('10MB'), { code: 'VIGIL_WATCH_BAD_RATE' });
  assert.deepEqual(parseMetricSelector('x_bytes{a="1", b="2"}'), { name: 'x_bytes', labels: { a: '1', b: '2' } });
  assert.equal(parseMetricSelector('x bytes'), undefined);
});

function serve(handler: (path: string) => [number, string]): Promise<Server> {
  const server = createServer((req, res) => { const [status, body] = handler(req.url ?? '/'); res.writeHead(status); res.end(body); });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('prometheus sampler: rss and friends, a selected series, ambiguity, absence, HTTP errors, timeouts', async (t) => {
  const body = '# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 2.5e+08\nnodejs_heap_size_used_bytes 4e7\nnodejs_external_memory_bytes 1e6\ncache_bytes{shard="0"} 10\ncache_bytes{shard="1"} 20\n';
  const server = await serve((path) => path === '/metrics' ? [200, body] : path === '/bare' ? [200, 'up 1\n'] : path === '/slow' ? [200, ''] : [503, 'down']);
  t.after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const r = ok(await prometheusSampler(`${base}/metrics`).sample(signal));
  assert.deepEqual(Object.fromEntries(r.memory.map((m) => [m.kind, m.bytes])), { rss: 2.5e8, heap_used: 4e7, external: 1e6 });
  const sel = ok(await prometheusSampler(`${base}/metrics`, { metric: 'cache_bytes{shard="1"}' }).sample(signal));
  assert.equal(sel.memory.find((m) => m.kind === 'cache_bytes{shard="1"}')?.bytes, 20);
  const ambiguous = await prometheusSampler(`${base}/metrics`, { metric: 'cache_bytes' }).sample(signal);
  assert.match(ambiguous.ok ? '' : ambiguous.error, /2 series match cache_bytes/);
  const bare = await prometheusSampler(`${base}/bare`).sample(signal);
  assert.match(bare.ok ? '' : bare.error, /no process_resident_memory_bytes/);
  const down = await prometheusSampler(`${base}/down`).sample(signal);
  assert.match(down.ok ? '' : down.error, /HTTP 503/);
  const refused = await prometheusSampler('http://127.0.0.1:1/metrics', { timeoutMs: 2000 }).sample(signal);
  assert.equal(refused.ok, false);
});

function scripted(values: number[]): Sampler {
  let i = 0;
  return {
    target: 'pid:9', type: 'memory', primaryKind: 'rss',
    sample: async () => {
      const v = values[Math.min(i++, values.length - 1)] as number;
      return v < 0 ? { ok: false, error: 'gone' } : { ok: true, memory: [{ target: 'pid:9', kind: 'rss', bytes: v }, { target: 'pid:9', kind: 'pss', bytes: v / 2 }], gpus: [], limitBytes: 1e9 };
    },
  };
}

test('metrics: memory series, trend gauges set at scrape time, failures reported as collect_success 0', async () => {
  const registry = new Registry();
  let clock = 0;
  // 1 MB per second for 30 s: slope 1e6 B/s; limit 1e9 B from the (scripted) cgroup.
  const values = Array.from({ length: 31 }, (_, i) => 1e8 + 1e6 * i);
  const w = createWatcher({ registry, samplers: [scripted([...values, -1])], sampleIntervalMs: 1000, windowMs: 30_000, evaluateIntervalMs: 1000, now: () => clock });
  for (let i = 0; i <= 30; i++) { clock = i * 1000; await w.sampleNow(); }
  let text = await registry.metrics();
  assert.match(text, /^vigil_memory_bytes\{target="pid:9",kind="rss"\} 130000000$/m);
  assert.match(text, /^vigil_memory_bytes\{target="pid:9",kind="pss"\} 65000000$/m);
  assert.match(text, /^vigil_memory_growth_bytes_per_second\{target="pid:9"\} 1000000$/m);
  assert.match(text, /^vigil_memory_leak_suspected\{target="pid:9"\} 1$/m);
  // (1e9 − 1.3e8) / 1e6 = 870 s.
  assert.match(text, /^vigil_memory_seconds_to_exhaustion\{target="pid:9"\} 870$/m);
  assert.match(text, /^vigil_memory_collect_success\{target="pid:9"\} 1$/m);
  assert.doesNotMatch(text, /^vigil_gpu_collect_success/m, 'no GPU sampler configured: no GPU metric');
  clock = 31_000;
  await w.sampleNow();
  text = await registry.metrics();
  assert.match(text, /^vigil_memory_collect_success\{target="pid:9"\} 0$/m);
  assert.doesNotMatch(text, /^vigil_memory_bytes\{target="pid:9"/m, 'a failed sample leaves no stale reading');
  await w.stop();
});

test('createWatcher validates its options with coded errors', () => {
  assert.throws(() => createWatcher({ targets: [] }), { code: 'VIGIL_WATCH_NO_TARGET' });
  assert.throws(() => createWatcher({ targets: [{ kind: 'pid', pid: -1 }] }), { code: 'VIGIL_CONFIG_INVALID' });
  assert.throws(() => createWatcher({ targets: [{ kind: 'self' }], windowMs: 1000, sampleIntervalMs: 1000 }), { code: 'VIGIL_CONFIG_INVALID' });
  assert.throws(() => createWatcher({ targets: [{ kind: 'self' }], leak: { alpha: 0.01, nope: 1 } as never }), { code: 'VIGIL_CONFIG_INVALID' });
});

test('a window derived from a short --duration still holds three samples', () => {
  assert.equal(watcherConfigFromFlags({ watchSelf: true }, { windowMs: 2000 }).windowMs, 3000);
  assert.equal(watcherConfigFromFlags({ watchSelf: true, sampleInterval: '100ms' }, { windowMs: 2000 }).windowMs, 2000);
});
