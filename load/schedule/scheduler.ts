import { join } from 'node:path';
import { Cron } from 'croner';
import type { CapacityOptions } from '../capacity/index.ts';
import { refreshCapacityReport, scheduledCapacityOptions } from './capacity-report.ts';
import { readLoadResult, resolveLoadOptions, runLoad, type LoadOptions, type LoadResult } from '../index.ts';
import type { BaselineSpec, ScheduleConfig, ScheduledScenario } from './config.ts';
import { scheduleErrors } from './errors.ts';
import { History, RUN_RECORD_SCHEMA, type RunRecord } from './history.ts';
import { figuresOf, judgeRun, medianBaseline, type Baseline, type BaselineFigures } from './regression.ts';
import type { ScenarioState } from './state.ts';

/** Runs one scenario's load test; injected so the scheduling logic can be tested without traffic. */
export type ScenarioRunner = (options: LoadOptions, signal: AbortSignal) => Promise<LoadResult>;

export interface SchedulerOptions {
  config: ScheduleConfig;
  run?: ScenarioRunner;
  /** Called after each run is recorded. */
  onRecord?: (record: RunRecord, file: string) => void;
  log?: (line: string) => void;
  /** Start at most this many runs per scenario (then its ticks are ignored). Default unlimited. */
  maxRuns?: number;
}

export interface Scheduler {
  start(): void;
  /** Stops the crons; `abort` stops running tests (they come back aborted), `finish` lets them end. Both record them. */
  stop(mode: 'abort' | 'finish'): Promise<void>;
  /** Runs a scenario's load test (or its capacity search) now, unless the scenario is busy: then false. */
  trigger(name: string, kind?: 'load' | 'capacity'): boolean;
  states(): readonly ScenarioState[];
  /** Resolves when every run in progress has been recorded. */
  idle(): Promise<void>;
}

interface Entry {
  scenario: ScheduledScenario;
  options: LoadOptions;
  pinned: BaselineFigures | undefined;
  state: ScenarioState;
  job?: Cron;
  capacityJob?: Cron;
  capacity: CapacityOptions | undefined;
  running?: { controller: AbortController; done: Promise<void> };
  started: number;
}

/**
 * The scheduler: one croner job per scenario. A tick while the scenario's previous run is still
 * going is skipped and counted (never two runs of one scenario at once). Each run is compared with
 * its baseline (a pinned result file, or the median of the last N complete runs in the history)
 * and written to the history atomically, also when aborted by shutdown. A scenario with a
 * `capacity:` block also gets a capacity search on its own cron, keeping
 * `<history>/<scenario>/capacity/latest.{json,md,html}` up to date.
 */
export function createScheduler(opts: SchedulerOptions): Scheduler {
  const { config } = opts;
  const run: ScenarioRunner = opts.run ?? ((options, signal) => runLoad(options, { signal }));
  const log = opts.log ?? (() => undefined);
  const history = new History(config.history);
  let stopping = false;

  // Validate every scenario (and pinned baseline) once, before anything runs.
  const entries = new Map<string, Entry>(config.scenarios.map((s) => {
    const options = { ...resolveLoadOptions({ scenarioFile: s.file, progress: 'none' }), scenario: s.name };
    const spec = s.baseline ?? config.baseline;
    return [s.name, {
      scenario: s, options, started: 0, capacity: s.capacity ? scheduledCapacityOptions({ ...s, capacity: s.capacity }) : undefined, pinned: 'file' in spec ? readPinned(spec.file) : undefined,
      state: { name: s.name, model: s.model ?? '', cron: s.cron, running: false, nextRun: null, runs: { passed: 0, failed: 0, aborted: 0 }, skipped: 0 },
    }];
  }));

  const baselineFor = (e: Entry): Baseline => {
    const spec: BaselineSpec = e.scenario.baseline ?? config.baseline;
    if ('file' in spec) return { kind: 'file', runs: 1, file: spec.file, figures: e.pinned ?? null };
    const past = history.lastComplete(e.scenario.name, spec.lastN);
    const figures = medianBaseline(past.map((r) => figuresOf(r.result.summary)));
    return figures ? { kind: 'median', runs: past.length, figures } : { kind: 'none', runs: 0, figures: null };
  };

  const runOnce = async (e: Entry, controller: AbortController): Promise<void> => {
    e.state.running = true;
    log(`${e.scenario.name}: run started`);
    let result: LoadResult;
    try {
      result = await run(e.options, controller.signal);
    } catch (err) {
      log(`${e.scenario.name}: run failed: ${(err as Error).message}`);
      e.state.running = false;
      e.state.runs.failed++;
      return;
    }
    const baseline = baselineFor(e);
    const verdict = judgeRun(figuresOf(result.summary), baseline, e.scenario.regression ?? config.regression, result.thresholds.every((t) => t.ok), result.aborted);
    const record: RunRecord = {
      schema: RUN_RECORD_SCHEMA, scenario: e.scenario.name, model: e.scenario.model ?? null,
      startedAt: result.startedAt, endedAt: result.endedAt, aborted: result.aborted, passed: verdict.passed, verdict, result,
    };
    const file = history.write(record);
    e.state.runs[result.aborted ? 'aborted' : verdict.passed ? 'passed' : 'failed']++;
    e.state.last = {
      figures: figuresOf(result.summary), passed: verdict.passed, regressed: verdict.regressed, aborted: result.aborted,
      endedAtS: Date.parse(result.endedAt) / 1000, file,
    };
    e.state.running = false;
    e.state.nextRun = e.job?.nextRun() ?? null;
    log(`${e.scenario.name}: ${result.aborted ? 'aborted' : verdict.passed ? 'passed' : verdict.regressed ? 'REGRESSED' : 'thresholds failed'} → ${file}`);
    opts.onRecord?.(record, file);
  };

  const runCapacityOnce = async (e: Entry, controller: AbortController): Promise<void> => {
    e.state.running = true;
    log(`${e.scenario.name}: capacity search started`);
    try {
      const { result, file } = await refreshCapacityReport(e.capacity as CapacityOptions, join(history.scenarioDir(e.scenario.name), 'capacity'), controller.signal);
      e.state.capacity = { maxSustainableQps: result.maxSustainableQps, aborted: result.aborted, endedAtS: Date.parse(result.endedAt) / 1000, file };
      log(`${e.scenario.name}: capacity ${result.maxSustainableQps ?? 'none'} req/s (${result.stopReason}) → ${file}`);
    } catch (err) {
      log(`${e.scenario.name}: capacity search failed: ${(err as Error).message}`);
    } finally {
      e.state.running = false;
    }
  };

  const trigger = (name: string, kind: 'load' | 'capacity' = 'load'): boolean => {
    const e = entries.get(name);
    if (!e) throw scheduleErrors.VIGIL_SCHEDULE_UNKNOWN_SCENARIO({ name, file: 'the schedule', names: [...entries.keys()].join(', ') });
    if (stopping || (kind === 'load' && e.started >= (opts.maxRuns ?? Infinity)) || (kind === 'capacity' && !e.capacity)) return false;
    // one scenario is never measured twice at once: a load run and a capacity search would distort each other
    if (e.running) {
      e.state.skipped++;
      log(`${name}: still running, tick skipped`);
      return false;
    }
    if (kind === 'load') e.started++;
    const controller = new AbortController();
    const done = (kind === 'load' ? runOnce(e, controller) : runCapacityOnce(e, controller)).finally(() => { e.running = undefined; });
    e.running = { controller, done };
    return true;
  };

  return {
    start() {
      for (const e of entries.values()) {
        e.job = new Cron(e.scenario.cron, { ...(e.scenario.timezone ? { timezone: e.scenario.timezone } : {}) }, () => { trigger(e.scenario.name); });
        e.state.nextRun = e.job.nextRun();
        if (e.scenario.capacity) {
          e.capacityJob = new Cron(e.scenario.capacity.cron, { ...(e.scenario.timezone ? { timezone: e.scenario.timezone } : {}) }, () => { trigger(e.scenario.name, 'capacity'); });
        }
      }
    },
    async stop(mode) {
      stopping = true;
      for (const e of entries.values()) { e.job?.stop(); e.capacityJob?.stop(); e.state.nextRun = null; }
      if (mode === 'abort') for (const e of entries.values()) e.running?.controller.abort();
      await this.idle();
    },
    trigger,
    states: () => [...entries.values()].map((e) => e.state),
    async idle() {
      await Promise.all([...entries.values()].map((e) => e.running?.done));
    },
  };
}

function readPinned(file: string): BaselineFigures {
  try {
    return figuresOf(readLoadResult(file).summary);
  } catch (err) {
    throw scheduleErrors.VIGIL_SCHEDULE_BAD_BASELINE({ file, reason: (err as Error).message }, { cause: err });
  }
}
