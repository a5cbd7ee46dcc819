import type { Command } from 'commander';
import { action, type CliIO, type ExitCodeBox } from './program.ts';
import { ExitCode } from '../common/index.ts';
import { loadSloConfig, writeRuleFiles } from '../alerts/index.ts';

export interface AlertsGenerateOptions { config?: string; out: string; json?: boolean }

/** `vigil alerts generate`: SLO config → Prometheus rule files (production + test profile). */
export function runAlertsGenerate(opts: AlertsGenerateOptions, io: CliIO): number {
  const config = loadSloConfig(opts.config);
  const files = writeRuleFiles(opts.out, config, opts.config ?? 'the default SLO config');
  if (opts.json) io.stdout.write(`${JSON.stringify({ files }, null, 2)}\n`);
  else io.stdout.write(files.map((f) => `wrote ${f}\n`).join(''));
  return ExitCode.ok;
}

/** Registers the `alerts` commands. */
export function registerAlerts(program: Command, io: CliIO, box: ExitCodeBox): void {
  const alerts = program.command('alerts').description('Prometheus alert and recording rules');
  alerts.command('generate')
    .description('write Prometheus rule files (recording rules and alerts) for an SLO config')
    .option('--config <file>', 'SLO config, YAML or JSON (see alerts/slo.yaml); defaults apply without it')
    .requiredOption('--out <dir>', 'directory for vigil.rules.yaml and vigil.test-profile.rules.yaml')
    .option('--json', 'print the written files as JSON')
    .action(action(box, (opts: AlertsGenerateOptions) => runAlertsGenerate(opts, io)));
}
