import { Option, type Command } from 'commander';
import { addArrivalOptions, addSourceOptions } from './load-source-options.ts';
import { addHarFilterOptions } from './load-har-options.ts';
import { addProtocolOptions } from './load-protocol-options.ts';
import { addTlsOptions, tlsFromFlags, type TlsFlags } from './tls-flags.ts';
import { action, collect, withStopSignals, type CliIO, type ExitCodeBox } from './program.ts';
import { ExitCode } from '../common/errors.ts';
import { writeFileAtomic } from '../common/atomic-write.ts';
import { redactUrl } from '../load/redact.ts';
import {
  renderCapacityHtml, renderCapacityMarkdown, resolveCapacityOptions, runCapacity, writeCapacityResult,
  type CapacityFlags, type StepResult,
} from '../load/capacity/index.ts';

interface Flags extends Omit<CapacityFlags, 'scenarioFile'>, TlsFlags { out?: string; md?: string; html?: string; json?: boolean }

/** `vigil capacity [SCENARIO]`: step the load up until the SLO breaks, refine, report. */
export function registerCapacity(program: Command, io: CliIO, box: ExitCodeBox): void {
  const cmd = program.command('capacity')
    .description('find the max sustainable QPS under an SLO by stepping the load, and the replicas needed for a peak')
    .argument('[scenario]', 'scenario file (YAML or JSON) with target and requests; its rate/connections are ignored');
  addTlsOptions(addProtocolOptions(addHarFilterOptions(addArrivalOptions(addSourceOptions(cmd)))))
    .option('--timeout <d>', 'per request (default 10s)')
    .option('--max-connections <n>', 'rate mode: keep-alive connections to the target; requests beyond wait in the queue, timed from their intended start (default 256)')
    .option('--max-in-flight <n>', 'arrivals beyond this many in flight are dropped; a drop marks the step saturated (default 10000)')
    .option('--slo <expr>', "SLO each step must meet, e.g. 'p99<300ms', or per request 'ttft<500ms', 'tpot<50ms' (judged by goodput attainment) (repeatable; default the scenario's thresholds, else p99<500ms)", collect)
    .option('--min-attainment <pct>', 'with per-request SLOs: the share of arrivals that must meet them all (default 95%)')
    .option('--max-error-rate <pct>', 'a step with more errors fails (default 1%)')
    .addOption(new Option('--mode <mode>', 'step the arrival rate (open model) or the connections (closed model)').choices(['rate', 'connections']).default('rate'))
    .option('--start-rate <n>', 'first step: req/s, or connections in connections mode (default 10)')
    .option('--max-rate <n>', 'never offer more than this (default 10000)')
    .option('--growth <x>', 'each climbing step offers x times the previous one (default 1.5)')
    .option('--step-duration <d>', 'measured length of each step (default 10s)')
    .option('--settle <d>', 'run each step this long before measuring (default min(2s, step/5))')
    .option('--refinements <n>', 'bisection steps between the last good and first bad load (default 4)')
    .option('--resolution <pct>', 'stop bisecting when the bracket is narrower than this (default 5%)')
    .option('--confirm <n>', 'run a failing step again n times; it only counts if it fails every time (default 1)')
    .option('--peak-qps <n>', 'expected peak traffic, req/s: report the replicas needed')
    .option('--headroom <pct>', 'spare capacity over the peak (default 30%)')
    .option('--json', 'print the vigil.capacity.result/v1 JSON on stdout instead of Markdown')
    .option('--out <file>', 'write the JSON result to this file, atomically')
    .option('--md <file>', 'write the Markdown report to this file')
    .option('--html <file>', 'write the self-contained HTML report (chart.js) to this file')
    .action(action(box, async (scenario: string | undefined, flags: Flags) => {
      const { out, md, html, json, insecure, ca, cert, key, ...rest } = flags;
      const tls = tlsFromFlags({ insecure, ca, cert, key });
      const resolved = resolveCapacityOptions({ ...rest, scenarioFile: scenario });
      const options = tls ? { ...resolved, base: { ...resolved.base, tls } } : resolved;
      const controller = new AbortController();
      const onSignal = (signal: NodeJS.Signals): void => {
        io.stderr.write(`\n${signal}: stopping after the running step's requests in flight\n`);
        controller.abort();
      };
      const unit = options.search.mode === 'rate' ? 'req/s' : 'connections';
      io.stderr.write(`vigil capacity: ${redactUrl(options.base.target)}, SLO ${options.slo.join(', ')}, steps of ${options.stepDurationMs / 1000}s from ${options.search.startRate} ${unit}\n`);
      const measured = await withStopSignals(onSignal, () =>
        runCapacity(options, { signal: controller.signal, onStep: (s, i) => io.stderr.write(stepLine(s, i, unit)) }));
      // Credentials in the target (user:pass@) are sent, never printed or written.
      const result = { ...measured, target: redactUrl(measured.target) };
      const markdown = renderCapacityMarkdown(result);
      if (out) writeCapacityResult(out, result);
      if (md) writeFileAtomic(md, markdown);
      if (html) writeFileAtomic(html, renderCapacityHtml(result));
      io.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : markdown);
      return result.noLoadMeetsSlo ? ExitCode.thresholds : ExitCode.ok;
    }));
}

function stepLine(s: StepResult, i: number, unit: string): string {
  const verdict = s.ok ? 'ok' : `FAIL (${s.failures.join(', ')})`;
  const st = s.stream;
  const llm = st ? `, TTFT p99 ${st.ttftMs.p99.toFixed(1)} ms, ${st.outputTokensPerS.toFixed(0)} tokens/s${st.attainment !== undefined ? `, attainment ${(st.attainment * 100).toFixed(1)} %` : ''}` : '';
  return `step ${i + 1} ${s.phase}: offered ${s.offeredRate} ${unit} → ${s.achievedQps.toFixed(1)} req/s, p50 ${s.latencyMs.p50.toFixed(1)} ms, p99 ${s.latencyMs.p99.toFixed(1)} ms, errors ${(s.errorRate * 100).toFixed(2)} %${llm}  ${verdict}\n`;
}
