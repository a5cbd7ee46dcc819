import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { COMMANDS } from '../cli/main.ts';
import { LOAD_COMMANDS } from '../cli/load.ts';
import { positionalWords, type LazyCommand } from '../cli/lazy.ts';
import { ExitCodeBox, type CliIO } from '../cli/program.ts';
import { VERSION } from '../cli/version.ts';
import { REPO_ROOT } from './helpers/cli.ts';

const io: CliIO = { stdout: process.stdout, stderr: process.stderr };

/** Every command of a table, loaded for real: its registered description must be the table's (what --help lists). */
async function registeredDescriptions(table: readonly LazyCommand[], parentWords: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of table) {
    const parent = new Command('x');
    await (await entry.load())(parent, io, new ExitCodeBox(), [...parentWords, entry.name]);
    for (const c of parent.commands) out.set(c.name(), c.description());
  }
  return out;
}

test('the lazy command tables list what each command file registers (names and descriptions)', async () => {
  const top = await registeredDescriptions(COMMANDS, []);
  for (const c of COMMANDS) assert.equal(top.get(c.name), c.description, c.name);
  assert.deepEqual([...top.keys()].sort(), COMMANDS.map((c) => c.name).sort());
  const load = await registeredDescriptions(LOAD_COMMANDS, ['load']);
  for (const c of LOAD_COMMANDS) assert.equal(load.get(c.name), c.description, `load ${c.name}`);
});

test('positional words pick the command to load (table)', () => {
  const cases: [string[], string[]][] = [
    [['load', 'run', '-c', '5', 'http://x'], ['load', 'run', '5', 'http://x']],
    [['--help'], []],
    [['help', 'load'], ['load']],
    [['drift', 'test', '--json'], ['drift', 'test']],
  ];
  for (const [args, want] of cases) assert.deepEqual(positionalWords(['node', 'vigil', ...args]), want);
});

test('--version is the package version', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
});
