import { Option, type Command } from 'commander';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { action, withStopSignals, type CliIO, type ExitCodeBox } from './program.ts';
import { ExitCode } from '../common/errors.ts';
import {
  createScheduler, cronJobManifests, loadScheduleConfig, registerScheduleMetrics, scheduleErrors, startScheduleServer,
  type ScheduleConfig,
} from '../load/schedule/index.ts';

interface Flags {
  config?: string; host?: string; port?: string; runs?: string; shutdown?: 'abort' | 'finish';
  k8sCronjob?: boolean; scenario?: string; image: string; namespace?: string;
}

/** `vigil schedule --config schedule.yaml` (the scheduler service) and `--k8s-cronjob` (manifests). */
export function registerSchedule(program: Command, io: CliIO, box: ExitCodeBox): void {
  program.command('schedule')
    .description('run load scenarios on cron schedules, keep their history, flag regressions, serve vigil_loadtest_* metrics')
    .option('--config <file>', 'schedule config (YAML or JSON): scenarios with cron expressions, history folder, baseline, limits')
    .option('--host <host>', 'interface for /metrics and /healthz (default: listen.host of the config, 127.0.0.1)')
    .option('--port <n>', 'port for /metrics and /healthz, 0 = any free port (default: listen.port of the config, 9465)')
    .option('--runs <n>', 'exit after every scenario has recorded n runs (exit 99 if a last run did not pass); default: run until SIGTERM')
    .addOption(new Option('--shutdown <mode>', 'on SIGTERM/SIGINT: abort running tests or let them finish; recorded either way (default: the config, abort)').choices(['abort', 'finish']))
    .option('--k8s-cronjob', 'print Kubernetes CronJob (and ConfigMap) manifests for the scenarios instead of running them')
    .option('--scenario <name>', 'with --k8s-cronjob: only this scenario')
    .option('--image <image>', 'with --k8s-cronjob: container image with vigil', 'ghcr.io/vigil/vigil:0.1.0')
    .option('--namespace <ns>', 'with --k8s-cronjob: namespace of the manifests')
    .action(action(box, async (flags: Flags) => {
      if (!flags.config) throw scheduleErrors.VIGIL_SCHEDULE_NO_CONFIG();
      const config = loadScheduleConfig(flags.config);
      if (flags.k8sCronjob) {
        io.stdout.write(cronJobManifests(config, { image: flags.image, ...(flags.namespace ? { namespace: flags.namespace } : {}), ...(flags.scenario ? { scenario: flags.scenario } : {}) }));
        return ExitCode.ok;
      }
      return serve(config, flags, io);
    }));
}

async function serve(config: ScheduleConfig, flags: Flags, io: CliIO): Promise<number> {
  const runsWanted = flags.runs !== undefined ? wholePositive(flags.runs) : undefined;
  let finished: (() => void) | undefined;
  const done = new Promise<void>((resolve) => { finished = resolve; });
  const scheduler = createScheduler({
    config,
    ...(runsWanted !== undefined ? { maxRuns: runsWanted } : {}),
    log: (line) => io.stderr.write(`${new Date().toISOString()} ${line}\n`),
    onRecord: () => {
      if (runsWanted !== undefined && scheduler.states().every((s) => s.runs.passed + s.runs.failed + s.runs.aborted >= runsWanted)) finished?.();
    },
  });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerScheduleMetrics(registry, () => scheduler.states());
  const port = flags.port !== undefined ? Number(flags.port) : config.listen.port;
  const server = await startScheduleServer({ host: flags.host ?? config.listen.host, port, registry, states: () => scheduler.states() });
  io.stdout.write(`listening ${server.url}\n`);
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => { signalled = signal; finished?.(); };
  scheduler.start();
  try {
    await withStopSignals(onSignal, async () => {
      await done;
      const mode = signalled ? flags.shutdown ?? config.shutdown : 'finish';
      io.stderr.write(`${signalled ?? 'done'}: stopping the scheduler (${mode === 'abort' ? 'aborting' : 'finishing'} running tests, they are recorded)\n`);
      await scheduler.stop(mode);
    });
  } finally {
    await server.close();
  }
  if (signalled) return ExitCode.ok;
  return scheduler.states().every((s) => s.last?.passed ?? false) ? ExitCode.ok : ExitCode.thresholds;
}

function wholePositive(text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v <= 0) throw scheduleErrors.VIGIL_SCHEDULE_BAD_RUNS({ value: text });
  return v;
}
