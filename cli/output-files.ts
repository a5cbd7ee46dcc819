import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { probeWritable, writeFileAtomic } from '../common/atomic-write.ts';
import { commonErrors } from '../common/common-errors.ts';
import type { VigilError } from '../common/errors.ts';

/** A file a command will write at its end (`--out`, `--html`), named by its flag for messages. */
export interface OutputFile {
  flag: string;
  path: string | undefined;
  /** What it holds, for messages ("result", "HTML report"). */
  what: string;
}

const reasonOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

/**
 * Checks every output file before any work starts, so a run is never lost to a bad path found at
 * its end. Throws VIGIL_OUTPUT_NOT_WRITABLE naming the flag, the file and the fs reason.
 */
export function checkOutputsWritable(files: readonly OutputFile[]): void {
  for (const f of files) {
    if (f.path === undefined) continue;
    try {
      probeWritable(f.path);
    } catch (err) {
      throw commonErrors.VIGIL_OUTPUT_NOT_WRITABLE({ flag: f.flag, file: f.path, reason: reasonOf(err) });
    }
  }
}

/**
 * Writes an output at the end of a run. If that fails (the disk filled, the folder went away),
 * the content goes to a temp file instead and the returned message says where: the measurement
 * is never thrown away. Returns undefined on success, else the VIGIL_OUTPUT_WRITE_FAILED error to report.
 */
export function writeOutputOrFallback(file: OutputFile & { path: string }, content: string): VigilError | undefined {
  try {
    writeFileAtomic(file.path, content);
    return undefined;
  } catch (err) {
    const fallback = join(tmpdir(), `vigil-${process.pid}-${Date.now()}-${basename(file.path)}`);
    writeFileAtomic(fallback, content);
    return commonErrors.VIGIL_OUTPUT_WRITE_FAILED({ flag: file.flag, file: file.path, reason: reasonOf(err), what: file.what, fallback });
  }
}
