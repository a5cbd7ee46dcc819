import type { Command } from 'commander';
import { resolveMonitorConfig } from '../monitor/config.ts';
import { parseSigma } from '../monitor/drift-cli/options.ts';
import { startMonitor } from '../monitor/service.ts';
import { registerMonitorInspect } from './monitor-inspect.ts';
import { monitorErrors } from '../monitor/errors.ts';
import { recordReference } from '../monitor/http/record.ts';
import { parseDurationMs } from '../common/duration.ts';
import { action, collect, newCommand, untilStopSignal, type CliIO, type ExitCodeBox } from './program.ts';

interface ServeFlags {
  config?: string; model?: string; modelSha256?: string; modelOutput?: string; modelName?: string; reference?: string;
  host?: string; port?: string; upstream?: string; upstreamTimeout?: string; drainTimeout?: string; window?: string; windowMaxSamples?: string;
  evaluateEvery?: string; evaluateInterval?: string; staleAfter?: string; maxMemory?: string; stateDir?: string; stateFsyncInterval?: string; stateSnapshotInterval?: string; evaluateMinGap?: string; minSamples?: string; tokensFile?: string;
  insecureNoAuth?: boolean; metricsAuth?: boolean; bodyLimit?: string; proxyPath?: string;
  proxyInputs?: string; proxyOutputs?: string; protocol?: string; inputTensor?: string; outputTensor?: string; observeMaxBytes?: string; alpha?: string; correction?: string;
  permutations?: string; seed?: string; sigma?: string; mmdAggregate?: string; mmdMaxSamples?: string; family?: string; ert?: string; parityTolerance?: string; logLevel?: string;
  watch?: boolean; gpu?: boolean; watchPid?: string[]; watchMetricsUrl?: string[]; memoryLimit?: string; sampleInterval?: string;
}

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

/** `--window 500` (samples) or `--window 10m` (a duration window; `--window-max-samples` bounds its rows). */
function windowFlag(window: string | undefined, maxSamples: string | undefined): unknown {
  if (window === undefined) return maxSamples === undefined ? undefined : { maxSamples: num(maxSamples) };
  if (/^\s*[\d.eE+-]+\s*$/.test(window)) return maxSamples === undefined ? Number(window) : { samples: Number(window), maxSamples: num(maxSamples) };
  return { duration: window, ...(maxSamples === undefined ? {} : { maxSamples: num(maxSamples) }) };
}

/** Flags → the config schema's keys (the schema validates; flags override the config file). */
export function monitorFlagsToConfig(f: ServeFlags): Record<string, unknown> {
  // --sigma takes the forms of `vigil drift test` (2, 1,2,4, 0.5x, 0.5x,1x,2x) and replaces whichever
  // bandwidth key the config file had: the other one is cleared with null.
  let bandwidth = {};
  if (f.sigma !== undefined) {
    const { sigma, sigmaScale } = parseSigma(f.sigma);
    bandwidth = { sigma: sigma ?? null, sigmaScale: sigmaScale ?? null };
  }
  const drift = {
    alpha: num(f.alpha), correction: f.correction, family: f.family, permutations: num(f.permutations), seed: num(f.seed), ...bandwidth, aggregate: f.mmdAggregate, mmdMaxSamples: num(f.mmdMaxSamples),
    online: f.ert === undefined ? undefined : { ert: num(f.ert) },
  };
  const proxy = { protocol: f.protocol, path: f.proxyPath, inputs: f.proxyInputs, outputs: f.proxyOutputs, inputTensor: f.inputTensor, outputTensor: f.outputTensor, observeMaxBytes: f.observeMaxBytes };
  const defined = (o: Record<string, unknown>) => {
    const entries = Object.entries(o).filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  };
  return {
    model: f.model, modelSha256: f.modelSha256, modelOutput: f.modelOutput, modelName: f.modelName, reference: f.reference,
    host: f.host, port: num(f.port), upstream: f.upstream, upstreamTimeout: f.upstreamTimeout, drainTimeout: f.drainTimeout,
    window: windowFlag(f.window, f.windowMaxSamples), evaluateEvery: num(f.evaluateEvery), evaluateInterval: f.evaluateInterval, evaluateMinGap: f.evaluateMinGap, staleAfter: f.staleAfter, maxMemory: f.maxMemory, stateDir: f.stateDir, stateFsyncInterval: f.stateFsyncInterval, stateSnapshotInterval: f.stateSnapshotInterval,
    minSamples: num(f.minSamples), tokensFile: f.tokensFile, insecureNoAuth: f.insecureNoAuth,
    metricsAuth: f.metricsAuth, bodyLimit: f.bodyLimit, logLevel: f.logLevel,
    drift: defined(drift), proxy: defined(proxy),
    parity: f.parityTolerance === undefined ? undefined : { tolerance: num(f.parityTolerance) },
    watch: defined({
      // commander sets `watch`/`gpu` to true by default for --no-* flags; only a `false` is an override.
      enabled: f.watch === false ? false : undefined, gpu: f.gpu === false ? false : undefined,
      pids: f.watchPid?.map(Number), metricsUrls: f.watchMetricsUrl, memoryLimit: f.memoryLimit, sampleInterval: f.sampleInterval,
    }),
  };
}

/** Registers `vigil monitor serve`. */
export function registerMonitor(program: Command, io: CliIO, box: ExitCodeBox): void {
  const monitor = program.command('monitor').description('The monitor service: live drift, prediction parity and metrics for a deployed model');
  const serve = newCommand('serve', io)
    .description('Serve the monitor (POST /v1/observations, proxy mode with --upstream, /metrics, /v1/status, /v1/drift, live page at /)')
    .option('--config <file>', 'monitor.yaml / .json with the options below (flags override it)')
    .option('--model <file.onnx>', 'reference ONNX model, run on every observed input (onnxruntime-node)')
    .option('--model-sha256 <hex>', 'refuse to start unless the model file has this SHA-256')
    .option('--model-output <name>', 'the model output drift and parity watch (default: the float probabilities, or the only float output; a ZipMap is read as its tensor)')
    .option('--model-name <name>', 'value of the model label (default: model file base name)')
    .option('--reference <file>', 'reference set: JSONL ({"features": [...]}, arrays or objects) or CSV')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--port <n>', 'port; 0 picks a free one (default 8490)')
    .option('--upstream <url>', 'proxy (shadow) mode: forward the proxy route to this deployed endpoint')
    .option('--upstream-timeout <duration>', 'bound on a whole proxied exchange: 504 before the answer starts, cut after (default 30s)')
    .option('--protocol <name>', 'wire format of the upstream: json | kserve-v2 | tfserving | openai (default json)')
    .option('--input-tensor <name>', 'kserve-v2/tfserving: the input tensor holding the features (default: the only one, one per feature, or the first)')
    .option('--output-tensor <name>', 'kserve-v2/tfserving: the output tensor compared with the reference model (default: the first)')
    .option('--observe-max-bytes <size>', 'bodies up to this size are copied for observation; larger: forwarded, counted unobserved (default 8MiB)')
    .option('--drain-timeout <duration>', 'on SIGTERM, how long in-flight requests may take to finish (default 10s)')
    .option('--window <n|duration>', 'sliding window: the last N samples (default 500), or the samples observed within a duration such as 10m')
    .option('--window-max-samples <n>', 'with a duration window: rows it holds at most, oldest evicted first (default 100000)')
    .option('--evaluate-every <n>', 'evaluate drift after this many new samples (default 100)')
    .option('--evaluate-interval <duration>', 'or after this long with new samples (default 30s)')
    .option('--evaluate-min-gap <duration>', 'least time between two scheduled evaluations (default 1s)')
    .option('--stale-after <duration>', 'a drift verdict older than this is stale: gauges withdrawn, vigil_drift_stale 1 (default 15m)')
    .option('--state-dir <dir>', 'keep windows, history and the reference in force here (journal + snapshot); a restart resumes them')
    .option('--state-fsync-interval <duration>', 'fsync the state journal this often: the most a kill -9 can lose (default 1s)')
    .option('--state-snapshot-interval <duration>', 'snapshot the whole state this often, then empty the journal (default 60s)')
    .option('--max-memory <size>', 'refuse to start if a full window and one evaluation would need more (estimate, e.g. 1GiB)')
    .option('--min-samples <n>', 'samples needed in the window before the first evaluation (default 20)')
    .option('--tokens-file <file>', 'YAML/JSON list of {token, role}; roles viewer, ingest, admin')
    .option('--insecure-no-auth', 'allow starting with no token configured (every endpoint open)')
    .option('--metrics-auth', 'require a viewer token on /metrics')
    .option('--body-limit <size>', 'largest request body (default 1MiB); larger → 413')
    .option('--proxy-path <path>', 'json protocol: route forwarded to the upstream (default /predict)')
    .option('--proxy-inputs <json.path>', 'json protocol: inputs in the request body: inputs, data.rows, $ (the root), $[0] (default inputs)')
    .option('--proxy-outputs <json.path>', 'json protocol: outputs in the response body (default outputs)')
    .option('--alpha <p>', 'significance level of the drift tests (default 0.05)')
    .option('--correction <kind>', 'per-feature KS correction: bonferroni | fdr (default bonferroni)')
    .option('--family <method>', 'one drift decision per evaluation over every test: minp (permutation min-p, default) or holm')
    .option('--ert <samples>', 'online detector: mean samples between false alarms on no-drift traffic (default 10000)')
    .option('--permutations <n>', 'MMD permutation test permutations (default 100)')
    .option('--seed <n>', 'seed of the permutation test (default 1)')
    .option('--sigma <list>', 'RBF bandwidth(s), as for vigil drift test: numbers (1,2,4) or multiples of the median heuristic (0.5x,1x,2x); default 1x')
    .option('--mmd-aggregate <how>', 'several bandwidths: mean (average the kernels; default) or minp (smallest calibrated p-value decides)')
    .option('--mmd-max-samples <n>', 'rows per side MMD uses at most; above, a seeded uniform subsample, reported in mmd.subsample (default 5000)')
    .option('--parity-tolerance <x>', 'max |deployed − reference| still counted as parity (default 1e-4)')
    .option('--watch-pid <pid>', 'also watch this process\'s memory for leaks (repeatable)', collect)
    .option('--watch-metrics-url <url>', 'also watch a remote target\'s Prometheus endpoint (repeatable)', collect)
    .option('--memory-limit <size>', 'memory limit for time-to-exhaustion (default: the cgroup limit)')
    .option('--sample-interval <duration>', 'resource sampling interval (default 5s)')
    .option('--no-gpu', 'do not sample GPUs (default: sampled with nvidia-smi where it is on PATH)')
    .option('--no-watch', 'disable the resource and leak watcher')
    .option('--log-level <level>', 'pino level: fatal error warn info debug trace silent (default info)')
    .action(action(box, async (flags: ServeFlags) => {
      const config = resolveMonitorConfig(flags.config, monitorFlagsToConfig(flags));
      const service = await startMonitor(config);
      io.stdout.write(`listening ${service.url}\n`);
      await untilStopSignal();
      await service.close();
      return 0;
    }));
  monitor.addCommand(serve);
  registerMonitorInspect(monitor, io, box);

  const record = newCommand('record', io)
    .description('Record a reference set for --protocol openai: send a JSONL of requests (vigil load\'s replay format) to an OpenAI-compatible endpoint and write the features of every answer (prompt_tokens, completion_tokens, ttft_ms, duration_ms)')
    .requiredOption('--target <url>', 'base URL of the endpoint, e.g. http://127.0.0.1:8000')
    .requiredOption('--requests <file.jsonl>', 'one request a line: {"method"?, "path", "body", "headers"?}')
    .requiredOption('--out <file.jsonl>', 'where the reference set is written')
    .option('--concurrency <n>', 'requests in flight at once (default 1)')
    .option('--timeout <duration>', 'per request (default 120s)')
    .action(action(box, async (flags: { target: string; requests: string; out: string; concurrency?: string; timeout?: string }) => {
      const concurrency = flags.concurrency === undefined ? 1 : Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw monitorErrors.VIGIL_MONITOR_BAD_OPTION({ name: '--concurrency', value: flags.concurrency, rule: 'an integer from 1 to 256' });
      const result = await recordReference({ target: flags.target, requests: flags.requests, out: flags.out, concurrency, ...(flags.timeout ? { timeoutMs: parseDurationMs(flags.timeout, '--timeout') } : {}) });
      const reasons = Object.entries(result.finishReasons).map(([k, v]) => `${k} ${v}`).join(', ');
      io.stdout.write(`recorded ${result.rows} answers → ${flags.out} (features: ${result.features.join(', ')}; finish_reason: ${reasons || 'none'}; failed: ${result.failed.length})\n`);
      for (const f of result.failed.slice(0, 5)) io.stderr.write(`line ${f.line}: ${f.reason}\n`);
      return 0;
    }));
  monitor.addCommand(record);
}
