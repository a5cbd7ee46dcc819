import { z } from 'zod';
import { parseDurationMs, parseSizeBytes, parsePercent } from '../common/index.ts';

/**
 * The SLO config of `vigil alerts generate` (`alerts/slo.yaml` is the documented default).
 * Every key is optional; defaults sit beside each key and come from SPEC's field reports.
 * Unknown keys are rejected at every level. Durations: `500ms`, `5m`, `1d`; sizes: `4GiB`, `10MB`;
 * ratios: `90%` or `0.9`.
 */

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try { return parseDurationMs(value); } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try { return parseSizeBytes(value); } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** A fraction in (0, 1], written `90%` or `0.9`. */
const ratio = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    const r = parsePercent(value);
    if (r > 0 && r <= 1) return r;
    ctx.addIssue({ code: 'custom', message: `${value} must be a ratio in (0, 1] (e.g. 90% or 0.9)` });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
  return z.NEVER;
});

/** Availability objective in percent, kept as exact decimal text ("99.9"), 0 < x < 100. */
const objective = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value.trim().replace(/%$/, '');
  if (/^\d{1,2}(\.\d{1,6})?$/.test(text) && Number(text) > 0) return text;
  ctx.addIssue({ code: 'custom', message: `${value} must be a percentage below 100 with at most 6 decimals, e.g. 99.9 or "99.95%"` });
  return z.NEVER;
});

const severity = z.enum(['critical', 'warning', 'info']);

const burnRate = z.object({
  long: duration,            // long window, e.g. 1h
  short: duration,           // short window, e.g. 5m (1/12 of the long one)
  factor: z.number().positive(), // burn rate: how many times faster than "exactly on budget"
  severity,                  // critical = page, warning = ticket
  for: duration,
}).strict();

/** Google SRE workbook, ch. 5, table 5-8 (30-day window): 2 % / 5 % / 10 % / 10 % of the budget. */
export const DEFAULT_BURN_RATES = [
  { long: '1h', short: '5m', factor: 14.4, severity: 'critical', for: '2m' },
  { long: '6h', short: '30m', factor: 6, severity: 'critical', for: '15m' },
  { long: '1d', short: '2h', factor: 3, severity: 'warning', for: '1h' },
  { long: '3d', short: '6h', factor: 1, severity: 'warning', for: '3h' },
] as const;

export const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/vigil-monitoring/vigil/blob/main/alerts/runbooks';

export const sloConfigSchema = z.object({
  runbookBaseUrl: z.url().prefault(DEFAULT_RUNBOOK_BASE_URL),  // runbook_url = <base>/<AlertName>.md
  evaluationInterval: duration.prefault('10s'),               // rule group interval ("sampled every 10 s")
  labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string()).prefault({}), // added to every alert
  latency: z.object({
    p99: duration.prefault('500ms'),           // VigilHighLatencyP99 threshold
    window: duration.prefault('5m'),           // rate() window of the histogram
    for: duration.prefault('1m'),
  }).strict().prefault({}),
  availability: z.object({
    objective: objective.prefault('99.9'),     // percent of requests that must not fail, over 30 days
    errorCodes: z.string().prefault('5..|error|timeout'), // `code` label of failed requests (error/timeout: no response)
    burnRates: z.array(burnRate).min(1).prefault([...DEFAULT_BURN_RATES]),
  }).strict().prefault({}),
  drift: z.object({
    window: duration.prefault('2m'),           // look-back: the alert holds this long after the last alarm
    for: duration.prefault('0s'),              // the online detector's ERT already sets the false-alarm rate
  }).strict().prefault({}),
  driftHealth: z.object({
    failingWindow: duration.prefault('5m'),    // increase() window of vigil_drift_evaluation_errors_total
    failingFor: duration.prefault('5m'),       // evaluations failing that long fire VigilDriftEvaluationFailing
    staleFor: duration.prefault('5m'),         // vigil_drift_stale 1 that long fires VigilDriftStale
  }).strict().prefault({}),
  parity: z.object({
    minAgreement: ratio.prefault(0.99),        // agreement ratio deployed vs reference below this fires
    for: duration.prefault('5m'),
  }).strict().prefault({}),
  memory: z.object({
    limit: size.prefault('4GiB'),              // predict_linear must stay below this within `horizon`
    predictWindow: duration.prefault('30m'),   // range of predict_linear
    horizon: duration.prefault('1h'),
    maxGrowth: size.prefault('10MB'),          // bytes per second; faster growth over growthWindow fires
    growthWindow: duration.prefault('5m'),
    for: duration.prefault('5m'),
  }).strict().prefault({}),
  gpu: z.object({
    utilization: ratio.prefault(0.9),
    utilizationFor: duration.prefault('1m'),
    memory: ratio.prefault(0.95),
    memoryFor: duration.prefault('5m'),
    collectorFor: duration.prefault('5m'),
  }).strict().prefault({}),
  targetDown: z.object({
    jobRegex: z.string().prefault('vigil.*'),  // scrape jobs (`up{job=~...}`) that are vigil targets
    for: duration.prefault('2m'),
  }).strict().prefault({}),
  loadTest: z.object({
    for: duration.prefault('0s'),              // a failed scheduled run is one event: alert at once
  }).strict().prefault({}),
  testProfile: z.object({                     // the second rule file, for end-to-end tests
    evaluationInterval: duration.prefault('1s'),
    for: duration.prefault('5s'),              // replaces every `for`
    driftWindow: duration.prefault('10s'),
  }).strict().prefault({}),
}).strict();

export type SloConfig = z.output<typeof sloConfigSchema>;
export type BurnRate = SloConfig['availability']['burnRates'][number];
