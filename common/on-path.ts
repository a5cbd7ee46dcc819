import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** True when an executable named `name` is on `PATH` (what `gpu: auto` asks of nvidia-smi). */
export function onPath(name: string, path: string = process.env.PATH ?? ''): boolean {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch { /* not in this folder */ }
  }
  return false;
}
