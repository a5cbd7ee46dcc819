import type { Command } from 'commander';
import { writeLinesAtomic } from '../common/atomic-write.ts';
import { ExitCode } from '../common/errors.ts';
import { convertPrompts, resolvePromptsOptions, type PromptsFlags } from '../load/prompts/index.ts';
import { action, type CliIO, type ExitCodeBox } from './program.ts';

interface Flags extends PromptsFlags { out?: string }

/** `vigil load prompts INPUT --out FILE.jsonl`: recorded prompts → replay JSONL of completion requests. */
export function registerLoadPrompts(load: Command, io: CliIO, box: ExitCodeBox): void {
  load.command('prompts')
    .description('turn recorded prompts (ShareGPT JSON / JSON lines, or one prompt per line) into a replay file of chat-completion requests')
    .argument('<input>', 'ShareGPT-format JSON (array or JSON lines of {"conversations": [...]}) or a text file with one prompt per line')
    .option('--out <file>', 'write the replay JSONL here (atomically); default stdout')
    .option('--format <kind>', 'auto (default: [ an array, { JSON lines, else text), sharegpt, or lines')
    .option('--api <api>', 'chat (default: /v1/chat/completions with messages) or completions (/v1/completions with prompt)')
    .option('--path <path>', 'request path (default /v1/chat/completions or /v1/completions)')
    .option('--model <name>', 'the "model" of every request (left out when not given)')
    .option('--max-tokens <spec>', 'answer (the recorded answer\'s length in tokens, estimated as characters/4; default for ShareGPT), N, uniform:MIN-MAX or lognormal:median=M,sigma=S (default for lines: 128)')
    .option('--no-stream', 'ask for non-streamed answers (default: stream with usage)')
    .option('--no-usage', 'streamed, without stream_options.include_usage (token counts become chunk-count estimates)')
    .option('--extra-body <json>', 'JSON object merged into every request body, e.g. \'{"ignore_eos":true,"temperature":0}\'')
    .option('--limit <n>', 'write at most n requests (the first usable ones)')
    .option('--max-prompt-tokens <n>', 'skip prompts longer than n tokens (estimated as characters/4)')
    .option('--seed <n>', 'seed of the --max-tokens distribution (default 1)')
    .option('--name <name>', 'endpoint group name of every request (default method + path)')
    .action(action(box, async (input: string, flags: Flags) => {
      const { out, ...rest } = flags;
      const options = resolvePromptsOptions(input, rest);
      const result = await convertPrompts(options);
      const lines = result.lines.map((l) => JSON.stringify(l));
      const skipped = Object.entries(result.skipped).map(([why, n]) => `${n} ${why}`).join(', ');
      const m = result.maxTokens;
      const summary = `${lines.length} requests${skipped ? ` (skipped: ${skipped})` : ''}; max_tokens min ${m.min}, p50 ${m.p50}, p90 ${m.p90}, max ${m.max}${options.maxTokens.kind === 'answer' ? ' (recorded answers, estimated at 4 characters a token)' : ''}`;
      if (out) {
        writeLinesAtomic(out, lines);
        io.stderr.write(`${summary}; written to ${out}\n`);
      } else {
        io.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
        io.stderr.write(`${summary}\n`);
      }
      return ExitCode.ok;
    }));
}
