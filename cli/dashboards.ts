import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';

/** Registers the `dashboards` commands. Placeholder until its issue lands. */
export function registerDashboards(program: Command, _io: CliIO, _box: ExitCodeBox): void {
  program.command('dashboards').description('(not built yet)');
}
