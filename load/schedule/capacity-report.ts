import { join } from 'node:path';
import { writeFileAtomic } from '../../common/atomic-write.ts';
import { renderCapacityHtml, renderCapacityMarkdown, resolveCapacityOptions, runCapacity, type CapacityOptions, type CapacityResult } from '../capacity/index.ts';
import type { CapacitySchedule, ScheduledScenario } from './config.ts';

/** Capacity options of a scheduled scenario's `capacity:` block (validated at start, like the flags of `vigil capacity`). */
export function scheduledCapacityOptions(s: ScheduledScenario & { capacity: CapacitySchedule }): CapacityOptions {
  const { cron: _cron, ...flags } = s.capacity;
  return resolveCapacityOptions({ ...flags, scenarioFile: s.file, name: s.name, progress: 'none' });
}

/** Runs the capacity search and rewrites `<dir>/latest.{json,md,html}` atomically (also when aborted). */
export async function refreshCapacityReport(options: CapacityOptions, dir: string, signal: AbortSignal): Promise<{ result: CapacityResult; file: string }> {
  const result = await runCapacity(options, { signal });
  const file = join(dir, 'latest.json');
  writeFileAtomic(join(dir, 'latest.md'), renderCapacityMarkdown(result));
  writeFileAtomic(join(dir, 'latest.html'), renderCapacityHtml(result));
  writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
  return { result, file };
}
