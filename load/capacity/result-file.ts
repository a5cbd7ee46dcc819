import { writeFileAtomic } from '../../common/atomic-write.ts';
import type { CapacityResult } from './types.ts';

/** Writes the `vigil.capacity.result/v1` JSON atomically (temp file + rename). */
export function writeCapacityResult(file: string, result: CapacityResult): void {
  writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
}
