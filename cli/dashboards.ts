import type { Command } from 'commander';
import { action, type CliIO, type ExitCodeBox } from './program.ts';
import { ExitCode } from '../common/index.ts';
import { DASHBOARD_DEFAULTS, resolveDashboardsOptions, writeDashboardFiles } from '../dashboards/index.ts';

export interface DashboardsGenerateFlags { out: string; prometheusUrl?: string; dashboardsPath?: string; sloConfig?: string; json?: boolean }

/** `vigil dashboards generate`: the Grafana dashboards and their provisioning files. */
export function runDashboardsGenerate(flags: DashboardsGenerateFlags, io: CliIO): number {
  const opts = resolveDashboardsOptions(flags);
  const files = writeDashboardFiles(flags.out, opts);
  if (flags.json) io.stdout.write(`${JSON.stringify({ files }, null, 2)}\n`);
  else io.stdout.write(files.map((f) => `wrote ${f}\n`).join(''));
  return ExitCode.ok;
}

/** Registers the `dashboards` commands. */
export function registerDashboards(program: Command, io: CliIO, box: ExitCodeBox): void {
  const dashboards = program.command('dashboards').description('Grafana dashboards');
  dashboards.command('generate')
    .description('write the Grafana dashboards (JSON) and provisioning files for them and the Prometheus datasource')
    .requiredOption('--out <dir>', 'output directory')
    .option('--prometheus-url <url>', `Prometheus URL for the provisioned datasource (default ${DASHBOARD_DEFAULTS.prometheusUrl})`)
    .option('--dashboards-path <path>', `where Grafana will read the JSON files (default ${DASHBOARD_DEFAULTS.dashboardsPath})`)
    .option('--slo-config <file>', 'SLO config of `vigil alerts generate`: the panels draw its thresholds (defaults without it)')
    .option('--json', 'print the written files as JSON')
    .action(action(box, (flags: DashboardsGenerateFlags) => runDashboardsGenerate(flags, io)));
}
