import { Command } from 'commander';
import { configure, runProgram, ExitCodeBox, type CliIO } from './program.ts';
import { registerLoad } from './load.ts';
import { registerDrift } from './drift.ts';
import { registerMonitor } from './monitor.ts';
import { registerWatch } from './watch.ts';
import { registerCapacity } from './capacity.ts';
import { registerSchedule } from './schedule.ts';
import { registerDashboards } from './dashboards.ts';
import { registerAlerts } from './alerts.ts';
import { registerDemo } from './demo.ts';

/** Builds the `vigil` program. Each area registers its own commands from its own file. */
export function createProgram(io: CliIO, box: ExitCodeBox): Command {
  const program = configure(new Command('vigil'), io)
    .description('Load testing and drift monitoring for deployed ML model endpoints')
    .version('0.1.0')
    .enablePositionalOptions();
  registerLoad(program, io, box);
  registerDrift(program, io, box);
  registerMonitor(program, io, box);
  registerWatch(program, io, box);
  registerCapacity(program, io, box);
  registerSchedule(program, io, box);
  registerDashboards(program, io, box);
  registerAlerts(program, io, box);
  registerDemo(program, io, box);
  return program;
}

/** Entry point used by bin/vigil.js; returns the exit code. */
export async function main(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const box = new ExitCodeBox();
  return runProgram(createProgram(io, box), argv, io, box);
}
