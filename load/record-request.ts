/**
 * Records one measured request's outcome: its latency from the intended start (every HTTP
 * response, any status), its class, bytes, how long the client held it before it went out,
 * the LLM answer's TTFT/ITL/TPOT/tokens when it was one, and whether it met every per-request SLO.
 */
import type { Outcome } from './client.ts';
import { classifyOutcome, describeCause } from './classify.ts';
import { meetsSlos, type Slo } from './goodput.ts';
import type { Plan } from './plans.ts';
import type { Recorder } from './recorder.ts';
import { streamSample, type StreamSample } from './stream/sample.ts';

export interface RecordContext {
  recorder: Recorder;
  /** Start of measurement (the run's start + warmup), performance clock, ms. */
  measureStart: number;
  slos: readonly Slo[];
}

export function recordRequest(c: RecordContext, plan: Plan, o: Outcome, intendedAt: number, now: number): void {
  const completedMs = now - c.measureStart;
  const cls = classifyOutcome(o);
  const e2eMs = now - intendedAt;
  c.recorder.record(plan.endpoint, completedMs, o.error ? undefined : e2eMs * 1000, o.status, cls, o.bytesIn, plan.bytesOut);
  if (cls !== undefined) c.recorder.noteCause(cls, () => (cls === 'stream' && !o.error ? `stream: ${String(o.llm?.error)}` : describeCause(o)));
  if (o.sentAt !== undefined) c.recorder.recordSendDelay(o.sentAt - intendedAt);
  let sample: StreamSample | undefined;
  if (o.llm && cls === undefined) {
    sample = streamSample(o.llm, intendedAt, now, c.measureStart);
    c.recorder.stream.record(plan.endpoint.key, sample, completedMs);
  } else if (o.llm) {
    c.recorder.stream.failed++;
  }
  if (c.slos.length > 0 && cls === undefined && meetsSlos(c.slos, { e2eMs, ttftMs: ms(sample?.ttftUs), tpotMs: ms(sample?.tpotUs) })) c.recorder.good++;
}

function ms(us: number | undefined): number | undefined {
  return us === undefined ? undefined : us / 1000;
}
