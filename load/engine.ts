/**
 * `runLoad`: the only code that schedules requests. Open models (constant rate, stages,
 * original timing) fire arrivals at their intended times and measure latency from the intended
 * start, so a stalled server shows in the percentiles (no coordinated omission); arrivals beyond
 * `maxInFlight` are counted as dropped, never delayed. The closed model runs N loops that each
 * send the next request when the previous one completes.
 *
 * The scheduler sleeps with setTimeout until ~1 ms before the next intended time, then yields
 * with setImmediate until it is due and fires every arrival that is due: lateness stays well
 * under a millisecond without spinning a core between sparse arrivals.
 */
import { performance } from 'node:perf_hooks';
import type { Outcome } from './client.ts';
import { openTransport } from './open-transport.ts';
import { arrivalPositions } from './arrivals.ts';
import { parseSlo } from './goodput.ts';
import { buildPlans, type Plan } from './plans.ts';
import { recordRequest, type RecordContext } from './record-request.ts';
import { Recorder } from './recorder.ts';
import { buildResult } from './build-result.ts';
import { OpenScheduler } from './open-scheduler.ts';
import { constantSchedule, originalSchedule, stagesSchedule, type ArrivalSchedule } from './schedule.ts';
import type { LoadOptions } from './options.ts';
import type { IntervalSummary, LoadResult } from './result.ts';

export interface ProgressSnapshot {
  phase: 'warmup' | 'measure' | 'drain';
  /** ms since the run started (warmup included). */
  elapsedMs: number;
  /** Planned length of the run in ms (warmup included), when known. */
  totalMs: number | undefined;
  requests: number;
  errors: number;
  inFlight: number;
  droppedIterations: number;
  /** The last finished 1 s interval. */
  last: IntervalSummary | undefined;
}

export interface RunHooks {
  signal?: AbortSignal;
  /** Called once per finished 1 s interval of measurement. */
  onInterval?: (i: IntervalSummary) => void;
  /** Called about once a second for live progress. */
  onProgress?: (p: ProgressSnapshot) => void;
}

const DRAIN_SLACK_MS = 2_000;

export async function runLoad(options: LoadOptions, hooks: RunHooks = {}): Promise<LoadResult> {
  const recorder = new Recorder();
  const client = openTransport(options);
  const plans = buildPlans(options.source, options.target, client, recorder);
  const warmupMs = options.warmupMs;
  const { schedule, order } = scheduleFor(options);
  const endMs = planEnd(options, schedule);
  // Arrivals due at or after the duration's end are not sent; the schedule's own end is `at() === undefined`.
  const durationEndMs = options.durationMs !== undefined ? warmupMs + options.durationMs : Infinity;

  const startedAt = new Date();
  const t0 = performance.now();
  const ctx: RecordContext = { recorder, measureStart: t0 + warmupMs, slos: (options.slo ?? []).map(parseSlo) };
  const deadlineMs = options.deadlineMs;
  let inFlight = 0;
  let sentMeasured = 0;
  let offeredMeasured = 0;
  let sendStopMs: number | undefined;
  let lastCompletionMs = warmupMs;
  let closed = false;
  let onIdle: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined; // the end-of-run wake-up, cleared when sending stops
  let scheduler: OpenScheduler | undefined;
  let stopWaiter: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => { stopWaiter = resolve; });

  const stopSending = (): void => {
    if (sendStopMs !== undefined) return;
    sendStopMs = performance.now() - t0;
    if (timer) clearTimeout(timer);
    scheduler?.cancel();
    stopWaiter?.();
  };
  const abort = (): void => stopSending();
  if (hooks.signal?.aborted) stopSending();
  hooks.signal?.addEventListener('abort', abort, { once: true });

  const followUp = (next: (() => void) | undefined): void => {
    if (next && sendStopMs === undefined) next();
    else scheduler?.poke();
    if (inFlight === 0 && sendStopMs !== undefined) onIdle?.();
  };

  const send = (plan: Plan, intendedAbs: number, measured: boolean, next?: () => void, slot?: number): void => {
    inFlight++;
    let dispatching = true;
    const complete = (o: Outcome): void => {
      // undici reports some errors synchronously, inside dispatch(): completing then would re-enter
      // the closed loop or the scheduler from within itself, request after request, until the
      // stack overflows. Complete on the next turn instead.
      if (dispatching) { setImmediate(complete, o); return; }
      inFlight--;
      if (!closed && measured) {
        const now = performance.now();
        const rel = now - t0;
        if (rel > lastCompletionMs) lastCompletionMs = rel;
        recordRequest(ctx, plan, o, intendedAbs, now);
      }
      // A connect error reaches us from inside undici's error path for that client (its queue is
      // being emptied): dispatching again from here trips undici's `client[kSize] === 0` assertion.
      // Send the follow-up on the next turn.
      if (o.error) setImmediate(followUp, next);
      else followUp(next);
    };
    const deadline = deadlineMs === undefined ? undefined : { at: intendedAbs + deadlineMs, ms: deadlineMs };
    client.send(plan, complete, slot, deadline);
    dispatching = false;
  };

  const wantMore = (): boolean => options.requests === undefined || sentMeasured < options.requests;

  if (schedule) {
    // Open models: arrival i is due at schedule.at(i) ms after t0.
    scheduler = new OpenScheduler(schedule, durationEndMs, endMs, {
      now: () => performance.now() - t0,
      fire: (i, due, now) => {
        const measured = due >= warmupMs;
        if (measured) offeredMeasured++;
        if (inFlight >= options.maxInFlight) {
          if (measured) recorder.droppedIterations++;
          return true;
        }
        const plan = plans[order ? (order[i % order.length] as number) : i % plans.length] as Plan;
        if (measured) {
          sentMeasured++;
          recorder.recordLateness(now - due);
        }
        send(plan, t0 + due, measured);
        return !measured || wantMore();
      },
      // Sending stops at the end of the duration (or the schedule), not at the last arrival.
      finished: (ms) => {
        const wait = (Number.isFinite(ms) ? ms : 0) - (performance.now() - t0);
        if (wait > 0) timer = setTimeout(() => stopSending(), wait);
        else stopSending();
      },
    });
    if (sendStopMs === undefined) scheduler.start();
  } else {
    // Closed model: N loops, each on its own connection.
    const connections = options.connections ?? 1;
    let rr = 0;
    const loopOn = (slot: number): (() => void) => {
      const loop = (): void => {
        if (sendStopMs !== undefined) return;
        const now = performance.now();
        const rel = now - t0;
        if (rel >= endMs) { stopSending(); return; }
        const measured = rel >= warmupMs;
        if (measured) {
          if (!wantMore()) { stopSending(); return; }
          sentMeasured++;
        }
        const plan = plans[rr++ % plans.length] as Plan;
        send(plan, now, measured, loop, slot);
      };
      return loop;
    };
    for (let c = 0; c < connections; c++) loopOn(c)();
    if (Number.isFinite(endMs)) timer = setTimeout(() => stopSending(), endMs);
  }

  const ticker = startTicker(t0, warmupMs, endMs, recorder, hooks, () => ({ inFlight, stopped: sendStopMs !== undefined }));
  await stopped;
  hooks.signal?.removeEventListener('abort', abort);
  // Drain: wait for in-flight requests up to the timeout (plus undici's timer resolution).
  if (inFlight > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.timeoutMs + DRAIN_SLACK_MS);
      onIdle = () => { clearTimeout(timer); resolve(); };
    });
  }
  closed = true;
  ticker.stop();
  await client.destroy();
  const stopMs = sendStopMs ?? performance.now() - t0;
  const measuredEndMs = Math.max(stopMs, lastCompletionMs);
  return buildResult({
    options,
    recorder,
    startedAt,
    endedAt: new Date(),
    aborted: hooks.signal?.aborted ?? false,
    measuredMs: Math.max(0, measuredEndMs - warmupMs),
    sendingMs: Math.max(0, stopMs - warmupMs),
    offeredMeasured,
    offeredRate: options.model === 'closed' ? null : options.model === 'open' ? (options.rate ?? null) : undefined,
  });
}

function scheduleFor(o: LoadOptions): { schedule: ArrivalSchedule | undefined; order: number[] | undefined } {
  switch (o.model) {
    case 'open': return { schedule: constantSchedule(o.rate as number, arrivalPositions(o.arrival)), order: undefined };
    case 'stages': return { schedule: stagesSchedule(o.stages ?? [], o.startRate ?? 0, arrivalPositions(o.arrival)), order: undefined };
    case 'original': {
      const ts: number[] = [];
      for (let i = 0; i < o.source.size; i++) ts.push(o.source.at(i).t ?? 0);
      return originalSchedule(ts, o.speed ?? 1, o.loop ?? false);
    }
    case 'closed': return { schedule: undefined, order: undefined };
  }
}

/** When sending stops, ms after t0: warmup + duration, or the schedule's own end (stages, original without loop). */
function planEnd(o: LoadOptions, schedule: ArrivalSchedule | undefined): number {
  const byDuration = o.durationMs !== undefined ? o.warmupMs + o.durationMs : Infinity;
  const bySchedule = schedule ? schedule.lengthMs : Infinity;
  return Math.min(byDuration, bySchedule);
}

function startTicker(t0: number, warmupMs: number, endMs: number, recorder: Recorder, hooks: RunHooks, state: () => { inFlight: number; stopped: boolean }): { stop(): void } {
  let emitted = 0;
  let last: IntervalSummary | undefined;
  const emit = (final: boolean): void => {
    const rel = performance.now() - t0;
    const done = Math.floor((rel - warmupMs) / 1000);
    while (emitted < done) {
      last = recorder.intervalSummary(emitted, false);
      hooks.onInterval?.(last);
      emitted++;
    }
    if (!hooks.onProgress) return;
    const s = state();
    const errors = recorder.errorSummary().total;
    hooks.onProgress({
      phase: s.stopped || final ? 'drain' : rel < warmupMs ? 'warmup' : 'measure',
      elapsedMs: rel,
      totalMs: Number.isFinite(endMs) ? endMs : undefined,
      requests: recorder.requests,
      errors,
      inFlight: s.inFlight,
      droppedIterations: recorder.droppedIterations,
      last,
    });
  };
  const timer = setInterval(() => emit(false), 1000);
  return { stop: () => { clearInterval(timer); emit(true); } };
}
