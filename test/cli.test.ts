import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runVigil } from './helpers/cli.ts';

test('vigil --help lists the areas and exits 0', async () => {
  const run = await runVigil(['--help']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /Usage: vigil/);
});

test('an unknown option is a coded usage error with exit 1', async () => {
  const run = await runVigil(['--no-such-flag']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error\[VIGIL_CLI_UNKNOWN_OPTION\]/);
  assert.match(run.stderr, /--no-such-flag/);
});

test('an unknown command is a coded usage error with exit 1', async () => {
  const run = await runVigil(['frobnicate']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error\[VIGIL_CLI_UNKNOWN_COMMAND\]/);
});
