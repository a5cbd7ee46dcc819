import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Registers the `watch` commands. Placeholder until its issue lands. */
export function registerWatch(program: Command, _io: CliIO, _box: ExitCodeBox): void {
  program.command('watch').description('(not built yet)');
}
