import { Option, type Command } from 'commander';
import { addArrivalOptions, addSourceOptions } from './load-source-options.ts';
import { addHarFilterOptions } from './load-har-options.ts';
import { addProtocolOptions } from './load-protocol-options.ts';
import { action, collect, type CliIO, type ExitCodeBox } from './program.ts';
import type { LoadInput } from '../load/resolve.ts';
import { addTlsOptions, type TlsFlags } from './tls-flags.ts';

export interface RunFlags extends Omit<LoadInput, 'scenarioFile'>, TlsFlags { out?: string; json?: boolean; html?: string; metricsPort?: string }

/** `vigil load run [SCENARIO]`: parse flags → resolveLoadOptions → runLoad → print/write. */
export function registerLoadRun(load: Command, io: CliIO, box: ExitCodeBox): void {
  const cmd = load.command('run')
    .description('run load against an HTTP endpoint (open model --rate, closed --connections, --stages, --timing original)')
    .argument('[scenario-or-url]', 'scenario file (YAML or JSON; flags override it), or the URL to load (as autocannon: vigil load run -c 50 -d 30s http://host/predict)');
  addTlsOptions(addProtocolOptions(addHarFilterOptions(addArrivalOptions(addSourceOptions(cmd)))))
    .option('-R, --rate <n>', 'open model: constant arrival rate, requests/s')
    .option('-c, --connections <n>', 'closed model: concurrent connections, each sending the next request when the last completes (default 10 when no model is given)')
    .option('--stages <list>', 'ramping arrival rate, e.g. "30s:100,60s:500,30s:0" (duration:target req/s)')
    .option('--timing <mode>', 'original: replay with the recorded gaps ("t" of each line)')
    .option('--speed <x>', 'with --timing original: time scale, 2 = twice as fast (default 1)')
    .option('--loop', 'with --timing original: start over when the recording ends')
    .option('-d, --duration <d>', 'measured duration after warmup, e.g. 30s, a bare number is seconds (default 10s unless --requests, --stages or an unlooped recording bound the run)')
    .option('--requests <n>', 'stop after this many measured requests')
    .option('--warmup <d>', 'run this long first and exclude it from all statistics (default 0s)')
    .option('--timeout <d>', 'per request: waiting for headers and between body chunks (default 10s)')
    .option('--max-in-flight <n>', 'open models: arrivals beyond this many requests in flight are dropped and counted (default 10000)')
    .option('--max-connections <n>', 'open models: keep-alive connections per origin; requests beyond wait in the queue, timed from their intended start (default 256)')
    .option('--threshold <expr>', "pass/fail check, e.g. 'p99<250ms', 'error_rate<1%', 'qps>100' (repeatable; exit 99 on failure)", collect)
    .option('--slo <expr>', "per-request SLO defining goodput, e.g. 'ttft<500ms', 'tpot<50ms', 'e2e<2s' (repeatable; threshold: goodput>10)", collect)
    .option('--metrics-port <port>', 'serve the run\'s live metrics (vigil_loadtest_*, the load-test dashboard\'s names) on http://127.0.0.1:PORT/metrics while it runs (0 = any free port)')
    .option('--out <file>', 'write the result (vigil.load.result/v1 JSON) to this file, atomically')
    .option('--json', 'print the result JSON on stdout instead of the summary table')
    .option('--html <file>', 'also write a self-contained HTML report (charts inlined; opens offline)')
    .addOption(new Option('--progress <mode>', 'live progress on stderr (default tty on a terminal, plain otherwise)').choices(['tty', 'plain', 'none']))
    // The engine, the report and their libraries load only when a run starts: `--help` stays fast.
    .action(action(box, async (scenario: string | undefined, flags: RunFlags) => (await import('./load-run-action.ts')).runLoadRunCommand(scenario, flags, io)));
}
