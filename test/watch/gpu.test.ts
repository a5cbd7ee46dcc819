import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { REPO_ROOT } from '../helpers/cli.ts';
import { nvidiaSmiSampler, dcgmSampler, createWatcher, type GpuReading, type SampleResult } from '../../monitor/watch/index.ts';

const FAKE_DIR = join(REPO_ROOT, 'fixtures', 'gpu');
const MIB = 1024 * 1024;

/** The fake nvidia-smi first on PATH, as a user would install it. */
function fakeEnv(mode: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${FAKE_DIR}:${process.env.PATH ?? ''}`, FAKE_NVIDIA_SMI_MODE: mode, ...extra };
}

function gpus(r: SampleResult): readonly GpuReading[] {
  assert.ok(r.ok, `sample failed: ${r.ok ? '' : r.error}`);
  return r.gpus;
}

test('nvidia-smi: two A100s, units converted (MiB → bytes, % → ratio, °C, W)', async () => {
  const r = await nvidiaSmiSampler({ env: fakeEnv('a100x2') }).sample(new AbortController().signal);
  assert.deepEqual(gpus(r), [
    { gpu: '0', uuid: 'GPU-5c3e8f2a-1b7d-4e3c-9a8b-2f6e1d0c9b7a', name: 'NVIDIA A100-SXM4-40GB', memoryUsedBytes: 31245 * MIB, memoryTotalBytes: 40960 * MIB, utilizationRatio: 0.97, temperatureCelsius: 64, powerWatts: 312.45 },
    { gpu: '1', uuid: 'GPU-a9d41e07-6c2b-4f8a-b3e5-0d7c9f1a2e68', name: 'NVIDIA A100-SXM4-40GB', memoryUsedBytes: 4 * MIB, memoryTotalBytes: 40960 * MIB, utilizationRatio: 0, temperatureCelsius: 31, powerWatts: 54.12 },
  ]);
});

test('nvidia-smi: [N/A] and [Not Supported] fields are absent, never 0', async () => {
  const list = gpus(await nvidiaSmiSampler({ env: fakeEnv('mixed') }).sample(new AbortController().signal));
  assert.equal(list.length, 4);
  assert.equal(list[0]?.powerWatts, undefined);
  assert.equal(list[0]?.utilizationRatio, 1);
  assert.equal(list[1]?.utilizationRatio, undefined);
  assert.equal(list[1]?.memoryUsedBytes, 2 * MIB);
  assert.equal(list[2]?.temperatureCelsius, undefined);
  assert.equal(list[2]?.powerWatts, 250);
  assert.deepEqual(list[3], { gpu: '3', uuid: 'GPU-ffeeddcc-bbaa-4998-8877-665544332211', name: 'NVIDIA H100 80GB HBM3' });
});

test('nvidia-smi: no GPU, a driver failure and a missing binary are failures with the reason', async () => {
  const signal = new AbortController().signal;
  const nogpu = await nvidiaSmiSampler({ env: fakeEnv('nogpu') }).sample(signal);
  assert.equal(nogpu.ok, false);
  assert.match(nogpu.ok ? '' : nogpu.error, /exited with 6: No devices were found/);
  const driver = await nvidiaSmiSampler({ env: fakeEnv('driver') }).sample(signal);
  assert.match(driver.ok ? '' : driver.error, /exited with 9: NVIDIA-SMI has failed/);
  const missing = await nvidiaSmiSampler({ binary: join(FAKE_DIR, 'no-such-nvidia-smi') }).sample(signal);
  assert.match(missing.ok ? '' : missing.error, /cannot be run: ENOENT/);
});

test('nvidia-smi: a hung nvidia-smi is killed at the timeout and reported, the sampler returns', async () => {
  const state = join(mkdtempSync(join(tmpdir(), 'vigil-hang-')), 'pid');
  const r = await nvidiaSmiSampler({ env: fakeEnv('hang', { FAKE_NVIDIA_SMI_STATE: state }), timeoutMs: 1000 }).sample(new AbortController().signal);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.error, /did not finish within 1000 ms \(killed\)/);
  // The whole process group went, the hung grandchild included (polled: it is reaped asynchronously).
  const hung = Number(readFileSync(state, 'utf8'));
  const alive = (): boolean => { try { process.kill(hung, 0); return true; } catch { return false; } };
  for (let i = 0; i < 100 && alive(); i++) await new Promise((res) => setTimeout(res, 20));
  assert.equal(alive(), false, `the hung child ${hung} is still running`);
});

async function metricsText(registry: Registry): Promise<string> {
  return registry.metrics();
}

test('watcher without a GPU: vigil_gpu_collect_success 0 and no GPU series', async () => {
  const registry = new Registry();
  const w = createWatcher({ registry, targets: [{ kind: 'nvidia-smi', env: { PATH: `${FAKE_DIR}:${process.env.PATH ?? ''}`, FAKE_NVIDIA_SMI_MODE: 'nogpu' } }] });
  await w.sampleNow();
  const text = await metricsText(registry);
  assert.match(text, /^vigil_gpu_collect_success 0$/m);
  assert.doesNotMatch(text, /^vigil_gpu_memory_used_bytes\{/m);
  assert.doesNotMatch(text, /^vigil_gpu_utilization_ratio\{/m);
  await w.stop();
});

test('watcher with two GPUs exposes the SPEC metrics in base units', async () => {
  const registry = new Registry();
  const w = createWatcher({ registry, labels: { model: 'resnet' }, targets: [{ kind: 'nvidia-smi', env: { PATH: `${FAKE_DIR}:${process.env.PATH ?? ''}`, FAKE_NVIDIA_SMI_MODE: 'a100x2' } }] });
  await w.sampleNow();
  const text = await metricsText(registry);
  assert.match(text, /^vigil_gpu_collect_success\{model="resnet"\} 1$/m);
  assert.match(text, new RegExp(`^vigil_gpu_memory_used_bytes\\{gpu="0",model="resnet"\\} ${31245 * MIB}$`, 'm'));
  assert.match(text, new RegExp(`^vigil_gpu_memory_total_bytes\\{gpu="1",model="resnet"\\} ${40960 * MIB}$`, 'm'));
  assert.match(text, /^vigil_gpu_utilization_ratio\{gpu="0",model="resnet"\} 0.97$/m);
  assert.match(text, /^vigil_gpu_temperature_celsius\{gpu="1",model="resnet"\} 31$/m);
  assert.match(text, new RegExp(`^vigil_memory_bytes\\{target="gpu:0",kind="gpu_memory_used",model="resnet"\\} ${31245 * MIB}$`, 'm'));
  await w.stop();
});

test('GPU memory growing 64 MiB per sample is a leak, with time to exhaustion against the GPU total', async () => {
  const state = join(mkdtempSync(join(tmpdir(), 'vigil-gpu-')), 'calls');
  let clock = 0;
  const w = createWatcher({
    targets: [{ kind: 'nvidia-smi', env: { PATH: `${FAKE_DIR}:${process.env.PATH ?? ''}`, FAKE_NVIDIA_SMI_MODE: 'leak', FAKE_NVIDIA_SMI_STATE: state } }],
    sampleIntervalMs: 1000, windowMs: 20_000, evaluateIntervalMs: 1000, now: () => clock,
  });
  for (let i = 0; i < 25; i++) { clock = i * 1000; await w.sampleNow(); }
  const v = w.verdicts().find((x) => x.target === 'gpu:0');
  assert.ok(v);
  assert.equal(v.leakSuspected, true);
  assert.equal(v.slopeBytesPerSecond, 64 * MIB);
  // After 25 calls memory.used is 1024 + 64·24 MiB; the total is 15360 MiB.
  assert.equal(v.limitBytes, 15360 * MIB);
  assert.ok(Math.abs((v.secondsToExhaustion ?? 0) - (15360 - 1024 - 64 * 24) / 64) < 1e-9);
  await w.stop();
});

function serve(body: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') { res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }); res.end(body); }
    else { res.writeHead(404); res.end(); }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('dcgm-exporter on loopback: FB_USED/FREE/RESERVED in MiB, GPU_UTIL %, GPU_TEMP, POWER_USAGE', async (t) => {
  const server = await serve(readFileSync(join(FAKE_DIR, 'dcgm-exporter.txt'), 'utf8'));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const list = gpus(await dcgmSampler(url).sample(new AbortController().signal));
  assert.deepEqual(list[0], {
    gpu: '0', uuid: 'GPU-5c3e8f2a-1b7d-4e3c-9a8b-2f6e1d0c9b7a', name: 'NVIDIA A100-SXM4-40GB',
    memoryUsedBytes: 31245 * MIB, memoryTotalBytes: 40960 * MIB, utilizationRatio: 0.97, temperatureCelsius: 64, powerWatts: 312.451,
  });
  assert.equal(list[1]?.memoryTotalBytes, 40960 * MIB);
  const registry = new Registry();
  const w = createWatcher({ registry, targets: [{ kind: 'dcgm', url }] });
  await w.sampleNow();
  assert.match(await registry.metrics(), /^vigil_gpu_collect_success 1$/m);
  const wrong = await dcgmSampler(url.replace('/metrics', '/nothing')).sample(new AbortController().signal);
  assert.match(wrong.ok ? '' : wrong.error, /HTTP 404/);
  await w.stop();
});
