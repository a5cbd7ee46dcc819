import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Registers the `monitor` commands. Placeholder until its issue lands. */
export function registerMonitor(program: Command, _io: CliIO, _box: ExitCodeBox): void {
  program.command('monitor').description('(not built yet)');
}
