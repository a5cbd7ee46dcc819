import type { Command } from 'commander';
import { action, collect, withStopSignals, type CliIO, type ExitCodeBox } from './program.ts';
import { Option } from 'commander';
import { ExitCode } from '../common/errors.ts';
import { writeFileAtomic } from '../common/atomic-write.ts';
import { parseWatchFlags, runWatch, type WatchCommandFlags } from '../monitor/watch/run-watch.ts';
import { parseSoakFlags, runSoak, type SoakFlags } from '../monitor/watch/soak/soak.ts';
import { watchErrors } from '../monitor/watch/errors.ts';
import { renderSoakReport } from '../monitor/watch/soak/chart.ts';
import { formatSoakVerdict } from '../monitor/watch/soak/format.ts';
import { createProgressPrinter, formatSummaryTable } from '../load/index.ts';

/** Registers `vigil watch` and `vigil soak` (both top-level). */
export function registerWatch(program: Command, io: CliIO, box: ExitCodeBox): void {
  const watch = program.command('watch')
    .description('watch memory (a PID, a /metrics endpoint, GPUs) for leaks: serves /metrics, or prints verdicts with --json --duration');
  addWatcherOptions(watch)
    .option('--port <port>', 'serve /metrics and /healthz on this port (0 = any free port; default 8491; a --duration run serves only when --port is given)')
    .option('--host <host>', 'interface to listen on, printed as given (default 127.0.0.1; 0.0.0.0 for Prometheus on another host)')
    .option('--duration <d>', 'stop after this long and print the verdicts (default: run until SIGINT/SIGTERM)')
    .option('--json', 'with --duration: print vigil.watch.result/v1 JSON instead of serving metrics')
    .option('--out <file>', 'also write the vigil.watch.result/v1 JSON to this file')
    .action(action(box, async (flags: WatchCommandFlags) => {
      const options = parseWatchFlags(flags);
      const controller = new AbortController();
      const run = await withStopSignals(() => controller.abort(), () =>
        runWatch(options, { stdout: io.stdout, stderr: io.stderr, signal: controller.signal }));
      return run.exitCode;
    }));

  const soak = program.command('soak')
    .description('long load run (scenario file) with the leak watcher alongside; ends with a leak verdict and a chart')
    .argument('<scenario>', 'scenario file of vigil load run (YAML or JSON)');
  addWatcherOptions(soak)
    .option('--duration <d>', "length of the measured run, e.g. 2h (overrides the scenario's duration)")
    .option('--warmup <d>', 'run this long first; excluded from the load statistics and from the verdict')
    .option('--out <file>', 'write the vigil.soak.result/v1 JSON to this file')
    .option('--html <file>', 'write the report (memory over time with the fitted line) to this file')
    .option('--json', 'print the result JSON instead of the summary')
    .option('--min-span <d>', 'shortest measured run that gets a leak verdict; shorter runs report inconclusive (default 20m: past warm-up and several major GC cycles; shorter runs misread healthy growth as a leak)')
    .addOption(new Option('--progress <mode>', 'live load progress on stderr').choices(['tty', 'plain', 'none']))
    .action(action(box, async (scenario: string, flags: SoakFlags) => {
      const options = parseSoakFlags(scenario, flags);
      const mode = flags.progress ?? (io.stderr.isTTY ? 'tty' : 'plain');
      const printer = createProgressPrinter(mode, io.stderr);
      const controller = new AbortController();
      let run: Awaited<ReturnType<typeof runSoak>>;
      try {
        run = await withStopSignals(() => controller.abort(), () =>
          runSoak(options, { signal: controller.signal, onProgress: (p) => printer.update(p) }));
      } finally {
        printer.done();
      }
      if (options.out) writeFileAtomic(options.out, `${JSON.stringify(run.result, null, 2)}\n`);
      if (options.html) writeFileAtomic(options.html, renderSoakReport(run.result, run.series));
      if (options.json) io.stdout.write(`${JSON.stringify(run.result, null, 2)}\n`);
      else io.stdout.write(`${formatSummaryTable(run.load)}${formatSoakVerdict(run.result)}`);
      if (options.html) io.stderr.write(`report written to ${options.html}\n`);
      if (run.result.targets.length === 0) {
        throw watchErrors.VIGIL_WATCH_NO_SAMPLES({ reasons: run.result.failures.map((f) => `${f.target}: ${f.error}`).join('; ') || 'no target answered' });
      }
      const thresholdsFailed = run.load.thresholds.some((t) => !t.ok);
      return run.result.leakSuspected || thresholdsFailed ? ExitCode.thresholds : ExitCode.ok;
    }));
}

/** The target and trend options `watch` and `soak` share. */
export function addWatcherOptions(cmd: Command): Command {
  return cmd
    .option('--watch-pid <pid>', 'watch a local process: /proc/PID/status VmRSS, smaps_rollup PSS (repeatable)', collect)
    .option('--watch-metrics-url <url>', "watch a target's Prometheus endpoint: process_resident_memory_bytes (repeatable)", collect)
    .option('--watch-metric <selector>', 'with --watch-metrics-url: follow this series instead, e.g. \'nodejs_heap_size_used_bytes\' or \'name{label="v"}\'')
    .option('--watch-self', "watch vigil's own process (RSS, heap, external)")
    .option('--gpu', 'sample GPUs with nvidia-smi (no GPU: vigil_gpu_collect_success 0)')
    .option('--nvidia-smi <path>', 'the nvidia-smi binary (implies --gpu; default: nvidia-smi on PATH)')
    .option('--gpu-timeout <d>', 'kill nvidia-smi / give up on dcgm-exporter after this long (default 5s)')
    .option('--dcgm-url <url>', 'sample GPUs from a dcgm-exporter endpoint, e.g. http://node:9400/metrics')
    .option('--sample-interval <d>', 'time between samples (default 1s)')
    .option('--window <d>', 'sliding window of the trend (default 10m, or --duration when shorter)')
    .option('--evaluate-interval <d>', 'time between trend evaluations (default window/20)')
    .option('--memory-limit <size>', 'project time to exhaustion against this, e.g. 4GiB (default: the cgroup limit of the process, GPU total for GPUs)')
    .option('--alpha <p>', 'Mann–Kendall significance level of the leak decision (default 0.01)')
    .option('--min-growth <rate>', 'slowest growth that counts as a leak, e.g. 1MiB/min, 10MB/s (default 1MiB/min)')
    .option('--sustain <n>', 'consecutive evaluations the conditions must hold (default 3)')
    .option('--label <name=value>', 'label added to every series, e.g. model=resnet50 (repeatable)', collect);
}
