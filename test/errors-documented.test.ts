import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './helpers/cli.ts';

const SOURCE_DIRS = ['common', 'cli', 'load', 'monitor', 'dashboards', 'alerts'];

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

test('every error code defined in the source is documented in docs/errors.md', () => {
  const docs = readFileSync(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
  const defined = new Set<string>();
  for (const dir of SOURCE_DIRS.filter((d) => existsSync(join(REPO_ROOT, d)))) {
    for (const file of tsFiles(join(REPO_ROOT, dir))) {
      // Codes are the keys of `defineErrors({ VIGIL_X: { message: ... } })` registries.
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s+(VIGIL_[A-Z0-9_]+): \{\s*message:/gm)) defined.add(m[1] as string);
    }
  }
  assert.ok(defined.size >= 9, `expected to find the error registries, found ${defined.size} codes`);
  const missing = [...defined].filter((code) => !docs.includes(`\`${code}\``));
  assert.deepEqual(missing, [], `undocumented error codes: ${missing.join(', ')}`);
});
