import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, root) : [relative(root, path)];
  }).sort();
}

/** Fails when two folders differ in any file name or byte; says how to regenerate. */
export function assertSameTree(committed: string, regenerated: string, regenerateWith: string): void {
  const hint = `generated files are stale: run \`${regenerateWith}\` and commit the result`;
  assert.deepEqual(listFiles(committed), listFiles(regenerated), hint);
  for (const file of listFiles(regenerated)) {
    const a = readFileSync(join(committed, file), 'utf8');
    const b = readFileSync(join(regenerated, file), 'utf8');
    if (a !== b) {
      const la = a.split('\n');
      const lb = b.split('\n');
      const line = la.findIndex((l, i) => l !== lb[i]);
      assert.fail(`${file} line ${line + 1} differs:\n  committed:   ${la[line]}\n  regenerated: ${lb[line]}\n${hint}`);
    }
  }
}
