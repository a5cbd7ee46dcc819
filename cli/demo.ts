import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Command } from 'commander';
import { parseDurationMs } from '../common/duration.ts';
import { ExitCode } from '../common/errors.ts';
import { runDemo } from '../monitor/demo.ts';
import { runLlmDemo } from '../load/llm-demo.ts';
import { loadErrors } from '../load/errors.ts';
import { action, type CliIO, type ExitCodeBox } from './program.ts';

/**
 * `vigil demo` (`npm run demo`): fixture model server + monitor in proxy mode + a replay of
 * traffic through it that drifts half way; prints the drift verdicts as they change. Ends by itself.
 */
export function registerDemo(program: Command, io: CliIO, box: ExitCodeBox): void {
  const demo = program.command('demo')
    .enablePositionalOptions() // `demo llm --duration` is the subcommand's flag, not demo's
    .description('bounded demo (~1 min): a fixture ONNX model server, the monitor in proxy mode in front of it, and replayed traffic that drifts half way')
    .option('--out-dir <dir>', 'where the demo writes its traffic and result files', join(tmpdir(), 'vigil-demo'))
    .option('--duration <d>', 'load duration (the inputs drift half way)', '50s')
    .option('--rate <n>', 'requests/s through the monitor', '40')
    .option('--rows <n>', 'input rows per request', '4')
    .option('--port <n>', 'monitor port (0: a free one)', '0')
    .action(action(box, async (flags: { outDir: string; duration: string; rate: string; rows: string; port: string }) => {
      const result = await runDemo({
        outDir: flags.outDir, durationMs: parseDurationMs(flags.duration, '--duration'), rate: Number(flags.rate),
        rowsPerRequest: Number(flags.rows), port: Number(flags.port), write: (line) => io.stdout.write(`${line}\n`),
      });
      return result.load.thresholds.some((t) => !t.ok) ? ExitCode.thresholds : ExitCode.ok;
    }));
  demo.command('llm')
    .description('bounded demo (~25 s): the fixture OpenAI-compatible LLM server and ShareGPT prompts at a rising Poisson rate: TTFT, ITL, TPOT, tokens/s, goodput')
    .option('--out-dir <dir>', 'where the demo writes its replay file, result and HTML report', join(tmpdir(), 'vigil-demo-llm'))
    .option('--duration <d>', 'load duration', '20s')
    .option('--rate <n>', 'arrival rate reached at the end of the ramp, requests/s', '16')
    .action(action(box, async (flags: { outDir: string; duration: string; rate: string }) => {
      const rate = Number(flags.rate);
      if (!(rate > 0) || !Number.isFinite(rate)) throw loadErrors.VIGIL_LOAD_BAD_RATE({ value: flags.rate });
      const { result } = await runLlmDemo({ outDir: flags.outDir, durationMs: parseDurationMs(flags.duration, '--duration'), peakRate: rate, write: (line) => io.stdout.write(`${line}\n`), progress: io.stderr });
      return result.thresholds.some((t) => !t.ok) ? ExitCode.thresholds : ExitCode.ok;
    }));
}
