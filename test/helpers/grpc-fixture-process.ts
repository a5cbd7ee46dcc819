/**
 * The fixture gRPC server (fixtures/servers/grpc-server.ts) as a separate process, its records and
 * options reached through its `vigil.fixture.Control` service.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { REPO_ROOT } from './cli.ts';
import type { FixtureStats } from './fixture-process.ts';

export interface GrpcFixtureProcess {
  readonly url: string;
  stats(): Promise<FixtureStats & { outcomes: Record<string, number> }>;
  configure(patch: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** `{"json": "..."}` messages (vigil.fixture.Json: field 1, a string), encoded by hand: tiny and fixed. */
const encodeJson = (s: string): Buffer => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([Buffer.from([0x0a]), varint(b.length), b]); };
function varint(n: number): Buffer { const out: number[] = []; while (n > 127) { out.push((n & 127) | 128); n >>>= 7; } out.push(n); return Buffer.from(out); }
function decodeJson(b: Buffer): string { let i = 1; let len = 0; let shift = 0; for (;;) { const c = b[i++] as number; len |= (c & 127) << shift; if (c < 128) break; shift += 7; } return b.subarray(i, i + len).toString('utf8'); }

export async function spawnGrpcFixtureServer(args: string[]): Promise<GrpcFixtureProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'fixtures', 'servers', 'grpc-server.ts'), '--port', '0', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      const m = /^listening (grpcs?:\/\/\S+)$/.exec(line.trim());
      if (m) resolve(m[1] as string);
      else reject(new Error(`unexpected first line from the gRPC fixture server: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`gRPC fixture server exited with ${code} before listening`)));
  });
  const client = new Client(url.replace(/^grpcs?:\/\//, ''), credentials.createInsecure());
  const call = (method: string, json: string): Promise<string> => new Promise((resolve, reject) => {
    client.makeUnaryRequest(`/vigil.fixture.Control/${method}`, encodeJson, (b: Buffer) => b, json, new Metadata(), {}, (err, v) => (err ? reject(err) : resolve(decodeJson(v as Buffer))));
  });
  return {
    url,
    stats: async () => JSON.parse(await call('Stats', '{}')) as FixtureStats & { outcomes: Record<string, number> },
    configure: async (patch) => { await call('Configure', JSON.stringify(patch)); },
    close: async () => {
      client.close();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
