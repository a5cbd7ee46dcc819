import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';
import { registerLoadRun } from './load-run.ts';
import { registerLoadMerge } from './load-merge.ts';
import { registerLoadCompare } from './load-compare.ts';
import { registerLoadK6 } from './load-k6.ts';
import { registerLoadPrompts } from './load-prompts.ts';
import { registerLoadReport } from './load-report.ts';

/** `vigil load <command>`: run, merge, compare, export-k6, import-k6, prompts, report — one file per command. */
export function registerLoad(program: Command, io: CliIO, box: ExitCodeBox): void {
  const load = program.command('load').description('generate load against an HTTP endpoint and work with the results');
  registerLoadRun(load, io, box);
  registerLoadMerge(load, io, box);
  registerLoadCompare(load, io, box);
  registerLoadK6(load, io, box);
  registerLoadPrompts(load, io, box);
  registerLoadReport(load, io, box);
}
