import { dirname, isAbsolute, resolve } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { loadConfigFile } from '../../common/config.ts';
import { parsePercent } from '../../common/units.ts';
import { scheduleErrors } from './errors.ts';

const percent = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try { return parsePercent(v, 'limit'); } catch { ctx.addIssue({ code: 'custom', message: `${v} is not a percentage (e.g. 10%)` }); return z.NEVER; }
});

/** Regression limits: how much worse than the baseline a run may be. Defaults as `vigil load compare`. */
const limitsSchema = z.object({
  maxP50Increase: percent.optional(),
  maxP95Increase: percent.optional(),
  maxP99Increase: percent.default(0.1),
  maxQpsDecrease: percent.default(0.05),
  /** Absolute, in percentage points of error rate (1% = 0.01). */
  maxErrorRateIncrease: percent.default(0.01),
}).strict();

const baselineSchema = z.union([
  z.object({ lastN: z.number().int().positive() }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);

const numberOrString = z.union([z.number(), z.string()]).transform(String);

/** A capacity search on its own cron, keeping `<history>/<scenario>/capacity/latest.{json,md,html}` up to date. */
const capacitySchema = z.object({
  cron: z.string().min(1),
  slo: z.array(z.string().min(1)).optional(),
  maxErrorRate: numberOrString.optional(),
  mode: z.enum(['rate', 'connections']).optional(),
  startRate: numberOrString.optional(),
  maxRate: numberOrString.optional(),
  growth: numberOrString.optional(),
  stepDuration: numberOrString.optional(),
  settle: numberOrString.optional(),
  refinements: numberOrString.optional(),
  resolution: numberOrString.optional(),
  confirm: numberOrString.optional(),
  peakQps: numberOrString.optional(),
  headroom: numberOrString.optional(),
}).strict();

const scenarioSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only (it names a folder)'),
  /** A load scenario file (SPEC "scenario file"), relative to this config. */
  file: z.string().min(1),
  /** croner pattern: 5 fields, or 6 with seconds first. */
  cron: z.string().min(1),
  timezone: z.string().optional(),
  /** `model` label of this scenario's metrics. */
  model: z.string().optional(),
  baseline: baselineSchema.optional(),
  regression: limitsSchema.optional(),
  capacity: capacitySchema.optional(),
}).strict();

export const scheduleConfigSchema = z.object({
  /** Folder of run records, one sub-folder per scenario. Relative to this config. */
  history: z.string().min(1).default('vigil-history'),
  listen: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(9465) }).strict().default({ host: '127.0.0.1', port: 9465 }),
  /** On SIGTERM/SIGINT: abort the running tests (default) or let them finish; either way they are recorded. */
  shutdown: z.enum(['abort', 'finish']).default('abort'),
  baseline: baselineSchema.default({ lastN: 5 }),
  regression: limitsSchema.default({ maxP99Increase: 0.1, maxQpsDecrease: 0.05, maxErrorRateIncrease: 0.01 }),
  scenarios: z.array(scenarioSchema).min(1),
}).strict();

export type ScheduleConfig = z.output<typeof scheduleConfigSchema>;
export type ScheduledScenario = ScheduleConfig['scenarios'][number];
export type RegressionLimits = z.output<typeof limitsSchema>;
export type CapacitySchedule = z.output<typeof capacitySchema>;
export type BaselineSpec = z.output<typeof baselineSchema>;

/** Loads and validates schedule.yaml; paths become absolute (relative to the file); crons are checked. */
export function loadScheduleConfig(file: string): ScheduleConfig {
  return finishScheduleConfig(loadConfigFile(file, scheduleConfigSchema) as ScheduleConfig, dirname(resolve(file)));
}

export function finishScheduleConfig(c: ScheduleConfig, baseDir: string): ScheduleConfig {
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const seen = new Set<string>();
  for (const s of c.scenarios) {
    if (seen.has(s.name)) throw scheduleErrors.VIGIL_SCHEDULE_DUPLICATE_SCENARIO({ name: s.name });
    seen.add(s.name);
    validateCron(s.name, s.cron, s.timezone);
    if (s.capacity) validateCron(`${s.name} (capacity)`, s.capacity.cron, s.timezone);
  }
  const withFile = (b: BaselineSpec): BaselineSpec => ('file' in b ? { file: abs(b.file) } : b);
  return Object.freeze({
    ...c,
    history: abs(c.history),
    baseline: withFile(c.baseline),
    scenarios: c.scenarios.map((s) => Object.freeze({ ...s, file: abs(s.file), ...(s.baseline ? { baseline: withFile(s.baseline) } : {}) })),
  });
}

export function validateCron(scenario: string, cron: string, timezone?: string): void {
  try {
    const job = new Cron(cron, { paused: true, ...(timezone ? { timezone } : {}) });
    job.stop();
  } catch (err) {
    throw scheduleErrors.VIGIL_SCHEDULE_BAD_CRON({ scenario, cron, reason: (err as Error).message });
  }
}
