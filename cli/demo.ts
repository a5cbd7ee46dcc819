import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Registers the `demo` commands. Placeholder until its issue lands. */
export function registerDemo(program: Command, _io: CliIO, _box: ExitCodeBox): void {
  program.command('demo').description('(not built yet)');
}
