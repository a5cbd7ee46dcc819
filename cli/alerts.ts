import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Registers the `alerts` commands. Placeholder until its issue lands. */
export function registerAlerts(program: Command, _io: CliIO, _box: ExitCodeBox): void {
  program.command('alerts').description('(not built yet)');
}
