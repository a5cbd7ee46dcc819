import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, type VigilError } from '../common/index.ts';

/** A file a generator produces: a path relative to the output folder and its content. */
export interface GeneratedFile { name: string; content: string }

/**
 * Writes generated files into `outDir` (created if missing), each atomically; returns their paths.
 * `notDirectory` builds the area's coded error for an `--out` that is a file.
 */
export function writeGeneratedFiles(outDir: string, files: GeneratedFile[], notDirectory: (path: string) => VigilError): string[] {
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw notDirectory(outDir);
  return files.map((f) => {
    const path = join(outDir, f.name);
    writeFileAtomic(path, f.content);
    return path;
  });
}
