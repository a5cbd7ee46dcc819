import type { Command } from 'commander';
import { inspectModel } from '../monitor/inference/inspect.ts';
import { formatInspection } from '../monitor/inference/inspect-format.ts';
import { readReferenceSet } from '../monitor/state/reference-set.ts';
import { ExitCode } from '../common/errors.ts';
import { action, newCommand, type CliIO, type ExitCodeBox } from './program.ts';

interface InspectFlags { modelOutput?: string; reference?: string; json?: boolean }

/** Registers `vigil monitor inspect MODEL.onnx`: what the monitor will feed and read, before deploying. */
export function registerMonitorInspect(monitor: Command, io: CliIO, box: ExitCodeBox): void {
  const inspect = newCommand('inspect', io)
    .description('show what the monitor will feed MODEL.onnx and read from it: inputs, outputs, adaptations (a ZipMap read as its tensor), the feature mapping; exit 1 if the monitor would refuse it')
    .argument('<model>', 'ONNX model file')
    .option('--model-output <name>', 'the scored output, as for monitor serve (default: the float probabilities, or the only float output)')
    .option('--reference <file>', 'reference set (JSONL or CSV) to show the actual feature mapping')
    .option('--json', 'print the vigil.model.inspection/v1 JSON')
    .action(action(box, async (model: string, flags: InspectFlags) => {
      const features = flags.reference ? readReferenceSet(flags.reference).features : undefined;
      const result = await inspectModel(model, { ...(flags.modelOutput ? { outputName: flags.modelOutput } : {}), ...(features ? { features } : {}) });
      io.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatInspection(result));
      return result.usable ? ExitCode.ok : ExitCode.usage;
    }));
  monitor.addCommand(inspect);
}
