import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding vigil's package.json, found by walking up from a module's URL. The same code
 * runs from the sources (`monitor/demo.ts`) and compiled (`dist/monitor/demo.js`), so files that
 * ship beside the code (`fixtures/models/...`) are found from the package root, not by a fixed `../`.
 */
export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}

