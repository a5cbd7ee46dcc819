/**
 * Whether the monitor is still watching: the outcome of the last evaluation (a failure makes the
 * service degraded until one succeeds) and the age of the verdict in force (older than
 * `staleAfterMs` → stale: it no longer describes current traffic). Pure bookkeeping, no timers;
 * `now` is passed in so tests and callers agree on the clock.
 */
export class EvaluationHealth {
  private lastOkAtMs: number | undefined;
  private since: number;
  private error: { message: string; atMs: number } | undefined;
  private failures = 0;

  constructor(readonly staleAfterMs: number, now = Date.now()) {
    this.since = now;
  }

  recordSuccess(now = Date.now()): void {
    this.lastOkAtMs = now;
    this.error = undefined;
    this.failures = 0;
  }

  recordFailure(message: string, now = Date.now()): void {
    this.error = { message, atMs: now };
    this.failures++;
  }

  /** A new reference or a reset: no verdict in force, the age counts from now. */
  restart(now = Date.now()): void {
    this.lastOkAtMs = undefined;
    this.since = now;
    this.error = undefined;
    this.failures = 0;
  }

  /** One-line reason of the last evaluation, when it failed. */
  get lastError(): string | undefined { return this.error?.message; }
  get failing(): boolean { return this.error !== undefined; }
  /** Evaluations failed in a row (0 once one succeeds). */
  get consecutiveFailures(): number { return this.failures; }
  /** Epoch ms of the last successful evaluation, if any since the last restart. */
  get lastEvaluationAtMs(): number | undefined { return this.lastOkAtMs; }

  /** Seconds since the verdict in force (or, with none yet, since start / the last restart). */
  ageSeconds(now = Date.now()): number {
    return Math.max(0, now - (this.lastOkAtMs ?? this.since)) / 1000;
  }

  stale(now = Date.now()): boolean {
    return this.ageSeconds(now) * 1000 > this.staleAfterMs;
  }
}
