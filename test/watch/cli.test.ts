import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';
import { REPO_ROOT } from '../helpers/cli.ts';
import { runVigil, spawnVigil, collectRun } from '../helpers/cli.ts';
import { parseWatchFlags, type WatchCommandFlags } from '../../monitor/watch/run-watch.ts';

const FAKE_PATH = `${join(REPO_ROOT, 'fixtures', 'gpu')}:${process.env.PATH ?? ''}`;

test('vigil watch --gpu --json --duration: a GPU whose memory grows every sample → exit 99 and the verdict', async () => {
  const state = join(mkdtempSync(join(tmpdir(), 'vigil-watch-')), 'calls');
  const run = await runVigil(['watch', '--gpu', '--sample-interval', '100ms', '--duration', '4s', '--json'], {
    env: { PATH: FAKE_PATH, FAKE_NVIDIA_SMI_MODE: 'leak', FAKE_NVIDIA_SMI_STATE: state },
  });
  assert.equal(run.code, 99, run.stderr);
  const result = JSON.parse(run.stdout) as { schema: string; targets: { target: string; kind: string; leakSuspected: boolean; slopeBytesPerSecond: number; pValue: number; samples: number; secondsToExhaustion: number; limitBytes: number }[]; gpu: { collectSuccess: boolean } };
  assert.equal(result.schema, 'vigil.watch.result/v1');
  const gpu0 = result.targets.find((t) => t.target === 'gpu:0');
  assert.ok(gpu0);
  assert.equal(gpu0.kind, 'gpu_memory_used');
  assert.equal(gpu0.leakSuspected, true);
  assert.ok(gpu0.pValue < 0.01);
  assert.equal(gpu0.limitBytes, 15360 * 1024 * 1024);
  assert.ok(gpu0.secondsToExhaustion > 0);
  assert.equal(result.gpu.collectSuccess, true);
});

test('vigil watch --watch-pid --json: an idle process is not a leak (exit 0), with its RSS', async (t) => {
  const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  t.after(() => { idle.kill('SIGKILL'); });
  const run = await runVigil(['watch', '--watch-pid', String(idle.pid), '--sample-interval', '100ms', '--duration', '2s', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { targets: { target: string; kind: string; leakSuspected: boolean; samples: number; latestBytes: number }[] };
  const v = result.targets[0];
  assert.equal(v?.target, `pid:${idle.pid}`);
  assert.equal(v?.kind, 'rss');
  assert.equal(v?.leakSuspected, false);
  assert.ok((v?.samples ?? 0) >= 3);
  assert.ok((v?.latestBytes ?? 0) > 1024 * 1024);
});

function serveText(body: string): Promise<Server> {
  const server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(body); });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('vigil watch --watch-metrics-url reads process_resident_memory_bytes, or the --watch-metric series', async (t) => {
  const server = await serveText('# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 123456789\nmodel_cache_bytes{model="a"} 5000\nmodel_cache_bytes{model="b"} 7000');
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const rss = await runVigil(['watch', '--watch-metrics-url', url, '--sample-interval', '100ms', '--duration', '1s', '--json']);
  assert.equal(rss.code, 0, rss.stderr);
  const r1 = JSON.parse(rss.stdout) as { targets: { target: string; kind: string; latestBytes: number }[] };
  assert.deepEqual(r1.targets.map((x) => [x.target, x.kind, x.latestBytes]), [[`metrics:${url}`, 'rss', 123456789]]);
  const sel = await runVigil(['watch', '--watch-metrics-url', url, '--watch-metric', 'model_cache_bytes{model="b"}', '--sample-interval', '100ms', '--duration', '1s', '--json']);
  const r2 = JSON.parse(sel.stdout) as { targets: { kind: string; latestBytes: number }[] };
  assert.deepEqual(r2.targets.map((x) => [x.kind, x.latestBytes]), [['model_cache_bytes{model="b"}', 7000]]);
});

test('vigil watch serves /metrics and /healthz until SIGTERM', async (t) => {
  const child = spawnVigil(['watch', '--gpu', '--watch-self', '--port', '0', '--host', '127.0.0.1', '--sample-interval', '100ms'], { env: { PATH: FAKE_PATH, FAKE_NVIDIA_SMI_MODE: 'mixed' } });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const done = collectRun(child, 30_000);
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve));
  const base = /^listening (\S+)$/.exec(line)?.[1] as string;
  assert.ok(base, line);
  // The metrics come from the first sampling round; /healthz says when it has happened.
  const deadline = performance.now() + 20_000;
  for (;;) {
    const h = await (await fetch(`${base}/healthz`)).json() as { targets: unknown[]; gpu: { ok: boolean } };
    if ((h.targets.length > 0 && h.gpu.ok) || performance.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const text = await (await fetch(`${base}/metrics`)).text();
  assert.match(text, /^vigil_gpu_collect_success 1$/m);
  assert.match(text, /^vigil_gpu_memory_used_bytes\{gpu="0"\} \d+$/m);
  assert.doesNotMatch(text, /vigil_gpu_memory_used_bytes\{gpu="3"\}/, '[N/A] memory is absent, not 0');
  assert.match(text, /^vigil_memory_bytes\{target="self",kind="rss"\} \d+$/m);
  assert.match(text, /^vigil_memory_collect_success\{target="self"\} 1$/m);
  const health = await (await fetch(`${base}/healthz`)).json() as { status: string; gpu: { ok: boolean; count: number } };
  assert.equal(health.status, 'ok');
  assert.deepEqual(health.gpu, { ok: true, count: 4 });
  child.kill('SIGTERM');
  const run = await done;
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /target\s+kind\s+samples/);
});

const USAGE: [WatchCommandFlags, string][] = [
  [{}, 'VIGIL_WATCH_NO_TARGET'],
  [{ watchPid: ['12x'] }, 'VIGIL_WATCH_BAD_PID'],
  [{ watchMetricsUrl: ['ftp://x/metrics'] }, 'VIGIL_WATCH_BAD_URL'],
  [{ watchMetricsUrl: ['http://127.0.0.1:1/metrics'], watchMetric: 'bad name' }, 'VIGIL_WATCH_BAD_METRIC'],
  [{ watchSelf: true, minGrowth: '10MB' }, 'VIGIL_WATCH_BAD_RATE'],
  [{ watchSelf: true, alpha: '2' }, 'VIGIL_WATCH_BAD_OPTION'],
  [{ watchSelf: true, window: '2s', sampleInterval: '1s' }, 'VIGIL_WATCH_BAD_OPTION'],
  [{ watchSelf: true, sustain: '0' }, 'VIGIL_WATCH_BAD_OPTION'],
  [{ watchSelf: true, label: ['target=x'] }, 'VIGIL_WATCH_BAD_OPTION'],
  [{ watchSelf: true, port: '70000' }, 'VIGIL_WATCH_BAD_OPTION'],
  [{ watchSelf: true, json: true }, 'VIGIL_WATCH_JSON_NEEDS_DURATION'],
  [{ watchSelf: true, sampleInterval: 'soon' }, 'VIGIL_BAD_DURATION'],
  [{ watchSelf: true, memoryLimit: 'lots' }, 'VIGIL_BAD_SIZE'],
];

test('vigil watch flags: every bad value is a coded error naming the flag', () => {
  for (const [flags, code] of USAGE) assert.throws(() => parseWatchFlags(flags), { code }, JSON.stringify(flags));
});

test('vigil watch usage errors reach the terminal as error[CODE] with exit 1', async () => {
  const run = await runVigil(['watch', '--watch-pid', '12x']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error\[VIGIL_WATCH_BAD_PID\] --watch-pid 12x/);
});
