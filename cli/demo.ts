import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Command } from 'commander';
import { action, type CliIO, type ExitCodeBox } from './program.ts';
import { runWithSignals } from './load-run.ts';
import { ExitCode } from '../common/errors.ts';
import { startFixtureServer } from '../fixtures/servers/index.ts';
import { formatSummaryTable, resolveLoadOptions, writeLoadResult } from '../load/index.ts';

/**
 * `vigil demo` (`npm run demo`): starts the fixture model server in-process (lognormal service
 * time, a small error rate), runs an open-model load against it with live progress and
 * thresholds, prints the summary and where the result file went. Bounded; ends by itself.
 */
export function registerDemo(program: Command, io: CliIO, box: ExitCodeBox): void {
  program.command('demo')
    .description('run a bounded demo: a fixture model server on loopback and a 10 s open-model load against it')
    .option('--out-dir <dir>', 'where the demo writes its result files', join(tmpdir(), 'vigil-demo'))
    .option('--duration <d>', 'load duration', '10s')
    .option('--rate <n>', 'arrival rate, requests/s', '100')
    .action(action(box, async (flags: { outDir: string; duration: string; rate: string }) => {
      const server = await startFixtureServer({ serviceTime: { kind: 'lognormal', medianMs: 20, sigma: 0.5 }, errorRate: 0.005, seed: 7 });
      try {
        io.stderr.write(`demo: fixture model server on ${server.url} (POST /predict, lognormal service time, median 20 ms, 0.5 % errors)\n`);
        const options = resolveLoadOptions({
          target: server.url, path: '/predict', body: '{"inputs":[[0.1,0.2,0.3,0.4]]}', name: 'predict',
          rate: flags.rate, duration: flags.duration, warmup: '1s',
          threshold: ['p99<500ms', 'error_rate<2%'],
        });
        const result = await runWithSignals(options, io);
        const out = join(flags.outDir, 'load-result.json');
        writeLoadResult(out, result);
        io.stdout.write(formatSummaryTable(result));
        io.stdout.write(`\nresult file (vigil.load.result/v1): ${out}\n`);
        return result.thresholds.some((t) => !t.ok) ? ExitCode.thresholds : ExitCode.ok;
      } finally {
        await server.close();
      }
    }));
}
