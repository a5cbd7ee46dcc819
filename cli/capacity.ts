import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Registers the `capacity` commands. Placeholder until its issue lands. */
export function registerCapacity(program: Command, _io: CliIO, _box: ExitCodeBox): void {
  program.command('capacity').description('(not built yet)');
}
