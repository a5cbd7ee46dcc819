import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Registers the `load` commands. Placeholder until its issue lands. */
export function registerLoad(program: Command, _io: CliIO, _box: ExitCodeBox): void {
  program.command('load').description('(not built yet)');
}
