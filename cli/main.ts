import { Command } from 'commander';
import { configure, runProgram, ExitCodeBox, type CliIO } from './program.ts';
import { positionalWords, registerLazily, type LazyCommand } from './lazy.ts';
import { VERSION } from './version.ts';

/**
 * The command table. Each area registers its own commands from its own file, loaded only when
 * argv names it (`registerLazily`); the descriptions here are what `vigil --help` lists, and a
 * test checks they equal the ones each file registers.
 */
export const COMMANDS: readonly LazyCommand[] = [
  { name: 'load', description: 'generate load against an HTTP endpoint and work with the results', load: async () => (await import('./load.ts')).registerLoad },
  { name: 'drift', description: 'statistical drift tests between a reference and a current dataset', load: async () => (await import('./drift.ts')).registerDrift },
  { name: 'monitor', description: 'The monitor service: live drift, prediction parity and metrics for a deployed model', load: async () => (await import('./monitor.ts')).registerMonitor },
  { name: 'watch', description: 'watch memory (a PID, a /metrics endpoint, GPUs) for leaks: serves /metrics, or prints verdicts with --json --duration', load: async () => (await import('./watch.ts')).registerWatch },
  { name: 'soak', description: 'long load run (scenario file) with the leak watcher alongside; ends with a leak verdict and a chart', load: async () => (await import('./watch.ts')).registerWatch },
  { name: 'capacity', description: 'find the max sustainable QPS under an SLO by stepping the load, and the replicas needed for a peak', load: async () => (await import('./capacity.ts')).registerCapacity },
  { name: 'schedule', description: 'run load scenarios on cron schedules, keep their history, flag regressions, serve vigil_loadtest_* metrics', load: async () => (await import('./schedule.ts')).registerSchedule },
  { name: 'dashboards', description: 'Grafana dashboards', load: async () => (await import('./dashboards.ts')).registerDashboards },
  { name: 'alerts', description: 'Prometheus alert and recording rules', load: async () => (await import('./alerts.ts')).registerAlerts },
  { name: 'demo', description: 'bounded demo (~1 min): a fixture ONNX model server, the monitor in proxy mode in front of it, and replayed traffic that drifts half way', load: async () => (await import('./demo.ts')).registerDemo },
];

/** Builds the `vigil` program for `argv`: the command argv names is loaded, the others are help-only stubs. */
export async function createProgram(io: CliIO, box: ExitCodeBox, argv: readonly string[]): Promise<Command> {
  const program = configure(new Command('vigil'), io)
    .description('Load testing and drift monitoring for deployed ML model endpoints')
    .version(VERSION)
    .enablePositionalOptions();
  await registerLazily(program, COMMANDS, 0, io, box, positionalWords(argv));
  return program;
}

/** Entry point used by bin/vigil.js; returns the exit code. */
export async function main(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const box = new ExitCodeBox();
  return runProgram(await createProgram(io, box, argv), argv, io, box);
}
