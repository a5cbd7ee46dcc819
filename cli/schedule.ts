import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Registers the `schedule` commands. Placeholder until its issue lands. */
export function registerSchedule(program: Command, _io: CliIO, _box: ExitCodeBox): void {
  program.command('schedule').description('(not built yet)');
}
