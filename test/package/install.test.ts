/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), the tarball
 * installed into an empty folder, then `npx vigil` from there — the compiled entry, with only the
 * files the package ships. Installed offline: the dependency versions come from our lock file and
 * their tarballs from npm's cache (filled by `npm ci`), so the test needs no network.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';

interface LockEntry { dev?: boolean; link?: boolean }
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> };

/** A lock file for a project depending only on the tarball: vigil's own production dependencies, as our lock pins them. */
function consumerLock(tarball: string): unknown {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { vigil: `file:${tarball}` } },
    'node_modules/vigil': { version: pkg.version, resolved: `file:${tarball}`, integrity, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key.startsWith('node_modules/') && !entry.dev && !entry.link) packages[key] = entry;
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ONNXRUNTIME_NODE_INSTALL: 'skip' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('npm pack → install the tarball offline into an empty folder → npx vigil --version, load run --help, a short load run', { timeout: 300_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'vigil-install-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { filename: string; files: { path: string }[] }[];
  const files = packed[0]?.files.map((f) => f.path) ?? [];
  assert.ok(files.includes('dist/cli/main.js') && files.includes('bin/vigil.js'), 'the compiled CLI is in the tarball');
  assert.ok(files.includes('dist/monitor/evaluation/worker.js'), 'the evaluation worker (loaded by URL) is compiled too');
  assert.ok(files.includes('fixtures/models/classifier.onnx'), 'the demo model ships');
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('bench/')), 'tests and benchmarks do not ship');
  const tarball = join(work, packed[0]?.filename as string);

  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { vigil: `file:${tarball}` } }));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(consumerLock(tarball)));
  const install = await run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], app);
  assert.equal(install.code, 0, install.stderr);

  const version = await run('npx', ['--offline', 'vigil', '--version'], app);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), pkg.version);
  const help = await run('npx', ['--offline', 'vigil', 'load', 'run', '--help'], app);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /--connections <n>/);

  let answered = 0;
  const server = createServer((_req, res) => { answered++; res.end('{"ok":true}'); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const load = await run('npx', ['--offline', 'vigil', 'load', 'run', '--target', url, '--connections', '2', '--requests', '20', '--json', '--progress', 'none'], app);
  assert.equal(load.code, 0, load.stderr);
  const result = JSON.parse(load.stdout) as { summary: { requests: number; status: Record<string, number> } };
  assert.equal(result.summary.requests, 20);
  assert.deepEqual(result.summary.status, { 200: 20 });
  assert.equal(answered, 20);
});
