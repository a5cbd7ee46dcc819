/**
 * Flags + scenario file → validated, frozen LoadOptions. Flags override the scenario; a workload
 * model given by flag replaces the scenario's model entirely. All coded errors of bad input are
 * raised here, before anything is sent.
 */
import { randomInt } from 'node:crypto';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { parseDurationMs } from '../common/duration.ts';
import { deepFreeze } from '../common/config.ts';
import { loadErrors } from './errors.ts';
import { DEFAULTS, type LoadOptions, type Stage, type WorkloadModel } from './options.ts';
import { loadScenarioFile, type Scenario } from './scenario.ts';
import { parseStagesText } from './schedule.ts';
import { parseThreshold } from './thresholds.ts';
import { ARRIVAL_KINDS, type ArrivalKind, type Arrivals } from './arrivals.ts';
import { parseSlo } from './goodput.ts';
import { jsonlReplaySource } from './sources/jsonl.ts';
import { requestListSource, singleRequestSource } from './sources/single.ts';
import type { TrafficSource } from './sources/source.ts';
import { harSource as harFileSource } from './sources/har.ts'; // replay-reports (contract C)
import { parseHarFilter, type HarFilter } from './sources/har-filter.ts';
import { resolveProtocol, resolveProtocolSource, usesProtocolSource, type ProtocolInput } from './resolve-protocol.ts';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What the CLI hands over: raw flag values (strings as typed) and the scenario file, if any. The
 * protocol flags (http2, maxStreams, proto, protocol, model...) are ProtocolInput's (resolve-protocol.ts).
 */
export interface LoadInput extends ProtocolInput {
  scenarioFile?: string | undefined;
  target?: string | undefined;
  method?: string | undefined;
  path?: string | undefined;
  header?: string[] | undefined;
  body?: string | undefined;
  name?: string | undefined;
  replay?: string | undefined;
  har?: string | undefined;
  rate?: string | undefined;
  connections?: string | undefined;
  stages?: string | undefined;
  timing?: string | undefined;
  speed?: string | undefined;
  loop?: boolean | undefined;
  duration?: string | undefined;
  requests?: string | undefined;
  warmup?: string | undefined;
  timeout?: string | undefined;
  maxInFlight?: string | undefined;
  maxConnections?: string | undefined;
  threshold?: string[] | undefined;
  progress?: 'tty' | 'plain' | 'none' | undefined;
  arrival?: string | undefined;
  burstiness?: string | undefined;
  seed?: string | undefined;
  slo?: string[] | undefined;
  deadline?: string | undefined;
  /** HAR filters (cli/load-har-options.ts): repeatable, comma lists allowed. */
  harIncludeHost?: string[] | undefined;
  harExcludeType?: string[] | undefined;
}

/** Pluggable sources by kind (HAR comes from another module and registers here). */
// replay-reports (contract C): the HAR source is built in.
export const sourceFactories: { har?: (file: string, filter?: HarFilter) => TrafficSource } = { har: harFileSource };

export function resolveLoadOptions(input: LoadInput): LoadOptions {
  const sc: Scenario = input.scenarioFile ? loadScenarioFile(input.scenarioFile) : {};
  const baseDir = input.scenarioFile ? dirname(input.scenarioFile) : process.cwd();
  const rel = (f: string): string => (isAbsolute(f) ? f : resolvePath(baseDir, f));

  const target = input.target ?? sc.target ?? '';
  if (target !== '' && !/^(https?|grpcs?):\/\/[^/]+/i.test(target)) throw loadErrors.VIGIL_LOAD_BAD_TARGET({ value: target });

  const source = usesProtocolSource(input, target) ? resolveProtocolSource(input, target) : resolveSource(input, sc, rel);
  const model = resolveModel(input, sc, source);
  if (target === '' && !allAbsolute(source)) throw loadErrors.VIGIL_LOAD_NO_TARGET();

  const opts: LoadOptions = {
    target,
    source,
    model: model.model,
    warmupMs: input.warmup !== undefined ? parseDurationMs(input.warmup, '--warmup') : sc.warmup !== undefined ? parseDurationMs(sc.warmup, 'warmup') : DEFAULTS.warmupMs,
    timeoutMs: input.timeout !== undefined ? parseDurationMs(input.timeout, '--timeout') : sc.timeout !== undefined ? parseDurationMs(sc.timeout, 'timeout') : DEFAULTS.timeoutMs,
    maxInFlight: input.maxInFlight !== undefined ? positiveInt('--max-in-flight', input.maxInFlight) : sc.maxInFlight ?? DEFAULTS.maxInFlight,
    thresholds: input.threshold ?? [...(sc.thresholds ?? [])],
  };
  const maxConnections = input.maxConnections !== undefined ? positiveInt('--max-connections', input.maxConnections) : sc.maxConnections;
  if (maxConnections !== undefined) opts.maxConnections = maxConnections;
  if (opts.timeoutMs <= 0) throw loadErrors.VIGIL_LOAD_BAD_NUMBER({ name: '--timeout', value: String(opts.timeoutMs), rule: 'must be more than 0' });
  Object.assign(opts, model.fields);
  const durationMs = input.duration !== undefined ? parseDurationMs(input.duration, '--duration') : sc.duration !== undefined ? parseDurationMs(sc.duration, 'duration') : undefined;
  const requests = input.requests !== undefined ? positiveInt('--requests', input.requests) : sc.iterations;
  if (durationMs !== undefined) {
    if (durationMs <= 0) throw loadErrors.VIGIL_LOAD_BAD_NUMBER({ name: '--duration', value: input.duration ?? String(sc.duration), rule: 'must be more than 0' });
    opts.durationMs = durationMs;
  }
  if (requests !== undefined) opts.requests = requests;
  // Runs that would never end get the default duration: constant rate and closed loops, looped replays.
  const endsByItself = opts.model === 'stages' || (opts.model === 'original' && !opts.loop);
  if (opts.durationMs === undefined && opts.requests === undefined && !endsByItself) opts.durationMs = DEFAULTS.durationMs;
  if (input.progress) opts.progress = input.progress;
  const arrival = resolveArrival(input, sc, opts.model);
  if (arrival) opts.arrival = arrival;
  const slo = input.slo ?? sc.slo;
  if (slo && slo.length > 0) opts.slo = slo.map((e) => parseSlo(e).expr);
  const deadline = input.deadline ?? sc.deadline;
  if (deadline !== undefined) {
    opts.deadlineMs = parseDurationMs(deadline, '--deadline');
    if (opts.deadlineMs <= 0) throw loadErrors.VIGIL_LOAD_BAD_NUMBER({ name: '--deadline', value: String(deadline), rule: 'must be more than 0' });
    // Node's timers hold at most 2^31 − 1 ms (~24.8 days); a longer one would fire at once.
    if (opts.deadlineMs > MAX_TIMER_MS) throw loadErrors.VIGIL_LOAD_BAD_NUMBER({ name: '--deadline', value: String(deadline), rule: 'must be at most 24 days' });
  }
  const name = input.name ?? sc.name;
  if (name) opts.scenario = name;
  Object.assign(opts, resolveProtocol(input, sc, target));
  for (const t of opts.thresholds) parseThreshold(t);
  return deepFreezeOptions(opts);
}

function resolveSource(input: LoadInput, sc: Scenario, rel: (f: string) => string): TrafficSource {
  const flagSingle = input.path !== undefined || input.method !== undefined || input.body !== undefined || (input.header?.length ?? 0) > 0;
  const given = [flagSingle && '--path/--method/--body', input.replay !== undefined && '--replay', input.har !== undefined && '--har'].filter((x): x is string => Boolean(x));
  if (given.length > 1) throw loadErrors.VIGIL_LOAD_CONFLICTING_SOURCE({ given: given.join(', ') });
  if (input.replay !== undefined) return jsonlReplaySource(input.replay);
  const harFilter = (): HarFilter => parseHarFilter(input.harIncludeHost ?? sc.harIncludeHost, input.harExcludeType ?? sc.harExcludeType);
  if (input.har !== undefined) return harSource(input.har, harFilter());
  if (flagSingle) return singleRequestSource({ method: input.method, path: input.path, headers: input.header, body: input.body, name: input.name });
  const scGiven = [sc.requests && 'requests', sc.replay && 'replay', sc.har && 'har'].filter((x): x is string => Boolean(x));
  if (scGiven.length > 1) throw loadErrors.VIGIL_LOAD_CONFLICTING_SOURCE({ given: scGiven.join(', ') });
  if (sc.replay) return jsonlReplaySource(rel(sc.replay));
  if (sc.har) return harSource(rel(sc.har), harFilter());
  if (sc.requests) return requestListSource(sc.requests.map((r) => ({ ...r, headers: r.headers ? { ...r.headers } : undefined })));
  return singleRequestSource({ path: '/' });
}

/** `--arrival`, `--burstiness`, `--seed` (flags over the scenario): open models with an arrival rate only. */
function resolveArrival(input: LoadInput, sc: Scenario, model: WorkloadModel): Arrivals | undefined {
  const kindText = input.arrival ?? sc.arrival;
  const burstText = input.burstiness ?? (sc.burstiness !== undefined ? String(sc.burstiness) : undefined);
  const seedText = input.seed ?? (sc.seed !== undefined ? String(sc.seed) : undefined);
  const bad = (name: string, value: string, rule: string): never => { throw loadErrors.VIGIL_LOAD_BAD_ARRIVAL({ name, value, rule }); };
  // A model flag replaces the scenario's model, and with it the scenario's arrival process.
  const modelFlag = [input.rate, input.connections, input.stages, input.timing].some((v) => v !== undefined);
  if (modelFlag && input.arrival === undefined && input.burstiness === undefined && input.seed === undefined && model !== 'open' && model !== 'stages') return undefined;
  if (kindText === undefined) {
    if (burstText !== undefined) bad('--burstiness', burstText, 'is the shape of gamma arrivals: give it with --arrival gamma');
    if (seedText !== undefined) bad('--seed', seedText, 'seeds random arrivals: give it with --arrival poisson or gamma');
    return undefined;
  }
  if (!(ARRIVAL_KINDS as readonly string[]).includes(kindText)) bad('--arrival', kindText, `use one of ${ARRIVAL_KINDS.join(', ')}`);
  const kind = kindText as ArrivalKind;
  if (model !== 'open' && model !== 'stages') bad('--arrival', kindText, 'applies to arrival rates (--rate, --stages), not to a closed model or --timing original');
  if (burstText !== undefined && kind !== 'gamma') bad('--burstiness', burstText, kind === 'poisson' ? 'Poisson arrivals have burstiness 1; use --arrival gamma for another shape' : 'constant arrivals have no burstiness');
  if (seedText !== undefined && kind === 'constant') bad('--seed', seedText, 'constant arrivals are not random');
  const burstiness = burstText === undefined ? 1 : Number(burstText);
  if (!(burstiness >= 0.01 && burstiness <= 1000)) bad('--burstiness', String(burstText), 'must be a number from 0.01 to 1000 (1 = Poisson, below 1 burstier, above 1 more regular)');
  const seed = seedText === undefined ? randomInt(2 ** 31) : Number(seedText);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) bad('--seed', String(seedText), 'must be a whole number from 0 to 4294967295');
  return { kind, burstiness, seed };
}

function harSource(file: string, filter: HarFilter): TrafficSource {
  if (!sourceFactories.har) throw loadErrors.VIGIL_LOAD_HAR_UNAVAILABLE({ file });
  return sourceFactories.har(file, filter);
}

function resolveModel(input: LoadInput, sc: Scenario, source: TrafficSource): { model: WorkloadModel; fields: Partial<LoadOptions> } {
  if (input.timing !== undefined && input.timing !== 'original') throw loadErrors.VIGIL_LOAD_BAD_TIMING({ value: input.timing });
  const flagModels = [input.rate !== undefined && '--rate', input.connections !== undefined && '--connections', input.stages !== undefined && '--stages', input.timing !== undefined && '--timing original'].filter((x): x is string => Boolean(x));
  const scModels = [sc.rate !== undefined && 'rate', sc.connections !== undefined && 'connections', sc.stages !== undefined && 'stages', sc.timing !== undefined && 'timing'].filter((x): x is string => Boolean(x));
  const fromFlags = flagModels.length > 0;
  const given = fromFlags ? flagModels : scModels;
  if (given.length > 1) throw loadErrors.VIGIL_LOAD_CONFLICTING_MODEL({ given: given.join(', ') });
  const loop = input.loop ?? sc.loop ?? false;
  if (fromFlags ? input.rate !== undefined : sc.rate !== undefined) {
    return { model: 'open', fields: { rate: fromFlags ? parseRate(input.rate as string) : (sc.rate as number) } };
  }
  if (fromFlags ? input.connections !== undefined : sc.connections !== undefined) {
    const c = fromFlags ? parseConnections(input.connections as string) : (sc.connections as number);
    return { model: 'closed', fields: { connections: c } };
  }
  if (fromFlags ? input.stages !== undefined : sc.stages !== undefined) {
    const stages = fromFlags ? parseStages(input.stages as string) : (sc.stages ?? []).map((s) => ({ durationMs: parseDurationMs(s.duration, 'stages[].duration'), target: s.target }));
    if (stages.every((s) => s.target === 0) && (sc.startRate ?? 0) === 0) throw loadErrors.VIGIL_LOAD_BAD_STAGES({ value: input.stages ?? 'stages', rule: 'every target is 0, so nothing would be sent' });
    return { model: 'stages', fields: { stages, startRate: sc.startRate ?? 0 } };
  }
  if (fromFlags ? input.timing !== undefined : sc.timing !== undefined) {
    if (!source.timed) throw loadErrors.VIGIL_LOAD_REPLAY_UNTIMED({ file: input.replay ?? sc.replay ?? source.description });
    const speed = input.speed !== undefined ? positiveNumber('--speed', input.speed) : sc.speed ?? DEFAULTS.speed;
    return { model: 'original', fields: { speed, loop } };
  }
  return { model: 'closed', fields: { connections: DEFAULTS.connections } };
}

export function parseRate(text: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) throw loadErrors.VIGIL_LOAD_BAD_RATE({ value: text });
  return v;
}

function parseConnections(text: string): number {
  const v = Number(text.trim());
  if (!Number.isInteger(v) || v <= 0) throw loadErrors.VIGIL_LOAD_BAD_CONNECTIONS({ value: text });
  return v;
}

function parseStages(text: string): Stage[] {
  const parsed = parseStagesText(text, (d) => parseDurationMs(d, '--stages duration'));
  if (typeof parsed === 'string') throw loadErrors.VIGIL_LOAD_BAD_STAGES({ value: text, rule: parsed });
  if (parsed.every((s) => s.durationMs === 0)) throw loadErrors.VIGIL_LOAD_BAD_STAGES({ value: text, rule: 'the stages last 0 s' });
  return parsed;
}

function positiveInt(name: string, text: string): number {
  const v = Number(text.trim());
  if (!Number.isInteger(v) || v <= 0) throw loadErrors.VIGIL_LOAD_BAD_NUMBER({ name, value: text, rule: 'must be a whole number above 0' });
  return v;
}

function positiveNumber(name: string, text: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) throw loadErrors.VIGIL_LOAD_BAD_NUMBER({ name, value: text, rule: 'must be a number above 0' });
  return v;
}

function allAbsolute(source: TrafficSource): boolean {
  for (let i = 0; i < source.size; i++) if (!/^https?:\/\//i.test(source.at(i).url)) return false;
  return source.size > 0;
}

function deepFreezeOptions(opts: LoadOptions): LoadOptions {
  // The source holds Uint8Array bodies (not freezable); freeze everything else.
  const { source, ...rest } = opts;
  deepFreeze(rest);
  return Object.freeze({ ...rest, source });
}
