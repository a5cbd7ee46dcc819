import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Registers the `drift` commands. Placeholder until its issue lands. */
export function registerDrift(program: Command, _io: CliIO, _box: ExitCodeBox): void {
  program.command('drift').description('(not built yet)');
}
