/**
 * The open-model scheduler: fires arrival i at `schedule.at(i)` (ms after t0), never early.
 *
 * It sleeps with setTimeout until ~1 ms before the next intended time (node timers have 1 ms
 * granularity and wake late), then yields with setImmediate — I/O keeps flowing — until the
 * arrival is due, and fires every arrival that is due. That yield-loop burns CPU, which on a
 * small machine is taken from the target and the response handling, so it is rationed: once it
 * has used SPIN_BUDGET of the run's wall time, the scheduler falls back to 1 ms timers (lateness up
 * to ~1 ms, reported in schedulerLatenessMs). At high rates the engine also calls `poke()` after
 * every response, which fires due arrivals between timer wake-ups at no cost.
 */
import type { ArrivalSchedule } from './schedule.ts';

const SPIN_BUDGET = 0.2;
const SPIN_GRACE_MS = 20;

export interface OpenSchedulerHooks {
  /** ms since t0. */
  now(): number;
  /** Arrival i is due (intended at `dueMs`, fired at `nowMs`); return false to stop scheduling. */
  fire(i: number, dueMs: number, nowMs: number): boolean;
  /** No more arrivals (schedule or duration ended, or fire() said stop); `endMs` = when sending should stop. */
  finished(endMs: number): void;
}

export class OpenScheduler {
  private i = 0;
  private due: number | undefined;
  private armed = false;
  private done = false;
  private timer: NodeJS.Timeout | undefined;
  private spinSince: number | undefined;
  private spunMs = 0;

  constructor(private readonly schedule: ArrivalSchedule, private readonly durationEndMs: number, private readonly endMs: number, private readonly hooks: OpenSchedulerHooks) {
    this.due = schedule.at(0);
  }

  start(): void {
    this.tick();
  }

  /** Fires due arrivals if any (cheap when none is); called after each response. */
  poke(): void {
    if (this.done || this.due === undefined || this.due > this.hooks.now()) return;
    this.fireDue();
    this.arm();
  }

  cancel(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private readonly tick = (): void => {
    this.armed = false;
    this.timer = undefined;
    if (this.done) return;
    this.fireDue();
    this.arm();
  };

  private fireDue(): void {
    const now = this.hooks.now();
    if (this.spinSince !== undefined && this.due !== undefined && this.due <= now) {
      this.spunMs += now - this.spinSince;
      this.spinSince = undefined;
    }
    while (!this.done && this.due !== undefined && this.due <= now && this.due < this.durationEndMs) {
      const keepGoing = this.hooks.fire(this.i, this.due, now);
      this.i++;
      this.due = this.schedule.at(this.i);
      if (!keepGoing) this.finish(now);
    }
    if (!this.done && (this.due === undefined || this.due >= this.durationEndMs)) this.finish(this.endMs);
  }

  private finish(endMs: number): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.hooks.finished(endMs);
  }

  private arm(): void {
    if (this.done || this.armed || this.due === undefined) return;
    const now = this.hooks.now();
    const wait = this.due - now;
    this.armed = true;
    if (wait > 1.25) {
      this.spinSince = undefined;
      this.timer = setTimeout(this.tick, wait - 1);
    } else if (this.spunMs <= SPIN_GRACE_MS + SPIN_BUDGET * now) {
      this.spinSince ??= now;
      setImmediate(this.tick);
    } else {
      this.spinSince = undefined;
      this.timer = setTimeout(this.tick, Math.max(1, wait));
    }
  }
}
