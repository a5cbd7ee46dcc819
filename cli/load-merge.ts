import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Placeholder until its issue lands. */
export function registerLoadMerge(_load: Command, _io: CliIO, _box: ExitCodeBox): void {
  // registered by the issue that builds this command
}
