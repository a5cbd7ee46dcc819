/**
 * The README's examples are tests: every ```sh block runs as written (rules in the README's
 * "README examples are tests" section), each in a fresh folder with `vigil` on the PATH, against
 * the servers its marker asks for. So the README cannot drift from the product.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixtureServer, startGrpcFixtureServer } from '../fixtures/servers/index.ts';
import { REPO_ROOT, VIGIL_BIN } from './helpers/cli.ts';

export interface ReadmeBlock { line: number; code: string; skip: string | undefined; ports: Map<number, string>; expectExit: number; timeoutS: number }

/** The ```sh blocks of a Markdown text with their `<!-- readme-test: ... -->` markers (pure). */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash)\s*$/.test(lines[i] as string)) {
      if (/^```/.test(lines[i] as string)) { i++; while (i < lines.length && !/^```\s*$/.test(lines[i] as string)) i++; }
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] as string); i++) body.push(lines[i] as string);
    const marker = /^<!-- readme-test: (.*) -->\s*$/.exec(lines[start - 1] ?? '')?.[1] ?? '';
    const skip = /(?:^|\s)skip(?:\s+(.*))?$/.exec(marker);
    if (skip && !skip[1]?.trim()) throw new Error(`README line ${start}: "skip" needs a reason`);
    const ports = new Map<number, string>();
    for (const m of (/ports((?:\s+\d+=\w+)+)/.exec(marker)?.[1] ?? '').matchAll(/(\d+)=(\w+)/g)) ports.set(Number(m[1]), m[2] as string);
    blocks.push({
      line: start + 1, code: body.join('\n'), skip: skip?.[1]?.trim(), ports,
      expectExit: Number(/expect-exit (\d+)/.exec(marker)?.[1] ?? 0), timeoutS: Number(/timeout (\d+)/.exec(marker)?.[1] ?? 60),
    });
  }
  return blocks;
}

interface FixtureServer { url: string; close(): Promise<void> }

async function startServer(kind: string): Promise<FixtureServer> {
  if (kind === 'model') return startFixtureServer({ serviceTime: { kind: 'lognormal', medianMs: 10, sigma: 0.5 }, concurrencyLimit: 8 });
  if (kind === 'h2c') return startFixtureServer({ http2: true, serviceTime: { kind: 'fixed', ms: 5 } });
  if (kind === 'grpc') return startGrpcFixtureServer({ model: { path: join(REPO_ROOT, 'fixtures', 'models', 'classifier.onnx') } });
  throw new Error(`readme-test: no server of kind "${kind}" (known: model, h2c, grpc)`);
}

function runBlock(code: string, cwd: string, env: NodeJS.ProcessEnv, timeoutS: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', code], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const timer = setTimeout(() => { output += `\n[readme-test: killed after ${timeoutS} s]`; process.kill(-(child.pid as number), 'SIGKILL'); }, timeoutS * 1000);
    child.on('close', (exit) => { clearTimeout(timer); resolve({ code: exit, output }); });
  });
}

test('readmeBlocks: sh blocks, markers, output blocks left alone (table)', () => {
  const md = ['text', '<!-- readme-test: ports 8080=model 9000=model expect-exit 99 timeout 90 -->', '```sh', 'vigil a :8080', '```', '```', '$ vigil not run', '```',
    '<!-- readme-test: skip serves forever -->', '```sh', 'vigil serve', '```', '```console', 'x', '```', '```bash', 'vigil b', '```'].join('\n');
  const b = readmeBlocks(md);
  assert.deepEqual(b.map((x) => [x.line, x.code, x.skip, [...x.ports], x.expectExit, x.timeoutS]), [
    [3, 'vigil a :8080', undefined, [[8080, 'model'], [9000, 'model']], 99, 90],
    [10, 'vigil serve', 'serves forever', [], 0, 60],
    [16, 'vigil b', undefined, [], 0, 60],
  ]);
  assert.throws(() => readmeBlocks('<!-- readme-test: skip -->\n```sh\nx\n```'), /needs a reason/);
});

test('every README example runs as written', { timeout: 600_000 }, async (t) => {
  const blocks = readmeBlocks(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
  const work = mkdtempSync(join(tmpdir(), 'vigil-readme-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const bin = join(work, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'vigil'), `#!/bin/sh\nexec "${process.execPath}" "${VIGIL_BIN}" "$@"\n`);
  chmodSync(join(bin, 'vigil'), 0o755);
  let ran = 0;
  for (const [i, block] of blocks.entries()) {
    if (block.skip) { t.diagnostic(`README line ${block.line}: skipped (${block.skip})`); continue; }
    const cwd = join(work, `block-${i}`);
    mkdirSync(join(cwd, 'alerts'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'examples'), join(cwd, 'examples'));
    symlinkSync(join(REPO_ROOT, 'fixtures'), join(cwd, 'fixtures'));
    symlinkSync(join(REPO_ROOT, 'load'), join(cwd, 'load')); // the Open Inference Protocol's proto vigil ships (load/grpc/proto/)
    copyFileSync(join(REPO_ROOT, 'alerts', 'slo.yaml'), join(cwd, 'alerts', 'slo.yaml'));
    const servers: FixtureServer[] = [];
    let code = block.code;
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1' };
    try {
      for (const [port, kind] of block.ports) {
        const server = await startServer(kind);
        servers.push(server);
        const actual = new URL(server.url).port;
        code = code.replaceAll(new RegExp(`:${port}\\b`, 'g'), `:${actual}`);
        env.TARGET = server.url;
      }
      const started = Date.now();
      const run = await runBlock(code, cwd, env, block.timeoutS);
      t.diagnostic(`README line ${block.line}: exit ${run.code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.equal(run.code, block.expectExit, `README line ${block.line}:\n${code}\n--- output ---\n${run.output}`);
      ran++;
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  }
  assert.ok(ran >= 6, `only ${ran} README blocks ran`);
});
