import type { Command } from 'commander';
import type { CliIO, ExitCodeBox } from './program.ts';
import { registerLazily, type LazyCommand } from './lazy.ts';

/** `vigil load <command>`, one file per command, each loaded only when argv names it. */
export const LOAD_COMMANDS: readonly LazyCommand[] = [
  { name: 'run', description: 'run load against an HTTP endpoint (open model --rate, closed --connections, --stages, --timing original)', load: async () => (await import('./load-run.ts')).registerLoadRun },
  { name: 'merge', description: 'merge results of shards that ran in parallel: histograms are added, so percentiles are exact', load: async () => (await import('./load-merge.ts')).registerLoadMerge },
  { name: 'compare', description: 'compare a result with a baseline; exits 99 when a limit is exceeded', load: async () => (await import('./load-compare.ts')).registerLoadCompare },
  { name: 'export-k6', description: 'write a k6 script (TypeScript) equivalent to a scenario: same requests, executor and thresholds', load: async () => (await import('./load-k6.ts')).registerLoadK6 },
  { name: 'import-k6', description: "read a k6 summary (handleSummary data or --summary-export) into vigil's result format", load: async () => (await import('./load-k6.ts')).registerLoadK6 },
  { name: 'prompts', description: 'turn recorded prompts (ShareGPT JSON / JSON lines, or one prompt per line) into a replay file of chat-completion requests', load: async () => (await import('./load-prompts.ts')).registerLoadPrompts },
  { name: 'report', description: 'render the HTML report of a result file (from load run, load merge or load import-k6) and print its summary', load: async () => (await import('./load-report.ts')).registerLoadReport },
];

export async function registerLoad(program: Command, io: CliIO, box: ExitCodeBox, words: readonly string[]): Promise<void> {
  const load = program.command('load').description('generate load against an HTTP endpoint and work with the results');
  await registerLazily(load, LOAD_COMMANDS, 1, io, box, words);
}
