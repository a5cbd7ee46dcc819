import type { Command } from 'commander';
import { action, type CliIO, type ExitCodeBox } from './program.ts';
import { ExitCode } from '../common/errors.ts';
import { formatSummaryTable, readLoadResult } from '../load/index.ts';
import { renderLoadReport } from '../load/report/index.ts';
import { checkOutputsWritable, writeOutputOrFallback } from './output-files.ts';

interface ReportFlags { html: string }

/** `vigil load report RESULT.json --html report.html`: the HTML report of any result (a run, a merge, a k6 import). */
export function registerLoadReport(load: Command, io: CliIO, box: ExitCodeBox): void {
  load.command('report')
    .description('render the HTML report of a result file (from load run, load merge or load import-k6) and print its summary')
    .argument('<result>', 'vigil.load.result/v1 file')
    .requiredOption('--html <file>', 'the self-contained HTML report to write (charts inlined; opens offline)')
    .action(action(box, (file: string, flags: ReportFlags) => {
      const html = { flag: '--html', path: flags.html, what: 'HTML report' };
      checkOutputsWritable([html]);
      const result = readLoadResult(file);
      const failed = writeOutputOrFallback(html, renderLoadReport(result));
      if (failed) io.stderr.write(`vigil: error[${failed.code}] ${failed.message}\n`);
      else io.stderr.write(`report written to ${flags.html}\n`);
      io.stdout.write(formatSummaryTable(result));
      return failed ? ExitCode.usage : ExitCode.ok;
    }));
}
