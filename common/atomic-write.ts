import { existsSync, statSync, renameSync, writeFileSync, writeSync, openSync, fsyncSync, closeSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { ensureDir } from './ensure-dir.ts';

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * half file: write a temp file in the same directory, fsync it, then rename over the target.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  atomically(file, (tmp) => writeFileSync(tmp, data));
}

/** The same for a file of many lines (each ends in LF), written one by one: no single string has to hold them all. */
export function writeLinesAtomic(file: string, lines: readonly string[]): void {
  atomically(file, (tmp) => {
    const fd = openSync(tmp, 'w');
    try {
      for (let i = 0; i < lines.length; i += 1000) writeSync(fd, `${lines.slice(i, i + 1000).join('\n')}\n`);
    } finally { closeSync(fd); }
  });
}

function atomically(file: string, write: (tmp: string) => void): void {
  const dir = dirname(file);
  ensureDir(dir);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    write(tmp);
    const fd = openSync(tmp, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Checks, before any work is done, that `file` can be written the way `writeFileAtomic` will:
 * its folder exists or can be made, a temp file can be created there, and `file` is not a folder.
 * Throws the fs error (with its `code`) otherwise; leaves nothing behind but the folder.
 */
export function probeWritable(file: string): void {
  const dir = dirname(file);
  ensureDir(dir);
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${file}'`), { code: 'EISDIR', path: file });
  }
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.probe`);
  closeSync(openSync(tmp, 'wx'));
  rmSync(tmp, { force: true });
}
