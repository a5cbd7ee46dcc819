import { parseDurationMs } from '../../common/duration.ts';
import { parsePercent } from '../../common/units.ts';
import { loadScenarioFile, resolveLoadOptions, parseThreshold, type LoadInput, type LoadOptions } from '../index.ts';
import { isPerRequestSlo, parseSlo } from '../goodput.ts';
import { capacityErrors } from './errors.ts';
import type { SearchOptions } from './search.ts';

/** Raw flags of `vigil capacity` on top of the load-run source flags (strings as typed). */
export interface CapacityFlags extends LoadInput {
  slo?: string[];
  maxErrorRate?: string;
  startRate?: string;
  maxRate?: string;
  stepDuration?: string;
  settle?: string;
  growth?: string;
  refinements?: string;
  resolution?: string;
  confirm?: string;
  mode?: 'rate' | 'connections';
  peakQps?: string;
  headroom?: string;
  minAttainment?: string;
}

export interface CapacityOptions {
  /** The load options every step starts from (target, source, timeout, max in-flight). */
  base: LoadOptions;
  /** Every SLO as given: result thresholds (`p99<300ms`) and per-request SLOs (`ttft<500ms`). */
  slo: string[];
  /** The per-request SLOs: a step passes when the share of arrivals meeting all of them is ≥ minAttainment. */
  goodputSlo: string[];
  /** Fraction, 0.95 = 95 %. */
  minAttainment: number;
  search: SearchOptions;
  stepDurationMs: number;
  settleMs: number;
  peak?: { peakQps: number; headroom: number };
}

/** Defaults, with units: rates in req/s (or connections), durations in ms, fractions. */
export const CAPACITY_DEFAULTS = Object.freeze({
  slo: ['p99<500ms'], maxErrorRate: 0.01, startRate: 10, maxRate: 10_000, stepDurationMs: 10_000, settleMs: 2_000,
  growth: 1.5, refinements: 4, confirmFailures: 1, resolution: 0.05, probeDown: 3, saturationRatio: 0.95, minGrowth: 0.05, headroom: 0.3,
  minAttainment: 0.95,
});

/**
 * Flags (+ scenario file) → validated capacity options. The SLO is `--slo` (repeatable), else the
 * scenario's latency and error-rate thresholds (a `qps>` threshold makes no sense per step) and
 * its per-request `slo:`, else p99<500ms, the field reports' default alert line. Per-request SLOs
 * (`ttft<500ms`, `tpot<50ms`, `e2e<2s`) judge each step by goodput attainment (≥ --min-attainment).
 */
export function resolveCapacityOptions(f: CapacityFlags): CapacityOptions {
  const { slo: sloFlag, maxErrorRate, startRate, maxRate, stepDuration, settle, growth, refinements, resolution, confirm, mode, peakQps, headroom, minAttainment, ...loadInput } = f;
  // the workload model is the capacity search's business: resolve the source with a placeholder rate
  const base = resolveLoadOptions({ ...loadInput, rate: '1', connections: undefined, stages: undefined, timing: undefined, duration: '1s', requests: undefined, threshold: [] });
  const scenarioThresholds = f.scenarioFile ? [...scenarioSlo(f), ...(base.slo ?? [])] : [];
  const slo = sloFlag && sloFlag.length > 0 ? sloFlag : scenarioThresholds.length > 0 ? scenarioThresholds : [...CAPACITY_DEFAULTS.slo];
  const goodputSlo = slo.filter(isPerRequestSlo).map((e) => parseSlo(e).expr);
  for (const expr of slo.filter((e) => !isPerRequestSlo(e))) {
    const t = parseThreshold(expr);
    if (t.metric === 'qps' || t.metric === 'goodput' || t.metric === 'output_tokens_per_s') throw capacityErrors.VIGIL_CAPACITY_BAD_SLO({ expr, rule: 'a capacity SLO bounds latency, error_rate or per-request times (ttft<500ms); the throughput is what the search finds' });
  }
  const search: SearchOptions = {
    mode: mode ?? 'rate',
    startRate: positive('--start-rate', startRate, CAPACITY_DEFAULTS.startRate),
    maxRate: positive('--max-rate', maxRate, CAPACITY_DEFAULTS.maxRate),
    growth: positive('--growth', growth, CAPACITY_DEFAULTS.growth),
    refinements: wholeNumber('--refinements', refinements, CAPACITY_DEFAULTS.refinements),
    resolution: fraction('--resolution', resolution, CAPACITY_DEFAULTS.resolution),
    maxErrorRate: fraction('--max-error-rate', maxErrorRate, CAPACITY_DEFAULTS.maxErrorRate),
    probeDown: CAPACITY_DEFAULTS.probeDown,
    confirmFailures: wholeNumber('--confirm', confirm, CAPACITY_DEFAULTS.confirmFailures),
    saturationRatio: CAPACITY_DEFAULTS.saturationRatio,
    minGrowth: CAPACITY_DEFAULTS.minGrowth,
  };
  if (search.growth <= 1) throw capacityErrors.VIGIL_CAPACITY_BAD_OPTION({ name: '--growth', value: growth, rule: 'must be above 1 (1.5 = +50 % per step)' });
  if (search.startRate >= search.maxRate) throw capacityErrors.VIGIL_CAPACITY_BAD_RANGE({ start: search.startRate, max: search.maxRate });
  const stepDurationMs = stepDuration !== undefined ? parseDurationMs(stepDuration, '--step-duration') : CAPACITY_DEFAULTS.stepDurationMs;
  const settleMs = settle !== undefined ? parseDurationMs(settle, '--settle') : Math.min(CAPACITY_DEFAULTS.settleMs, stepDurationMs / 5);
  if (stepDurationMs <= 0) throw capacityErrors.VIGIL_CAPACITY_BAD_OPTION({ name: '--step-duration', value: stepDuration, rule: 'must be more than 0' });
  const attainment = fraction('--min-attainment', minAttainment, CAPACITY_DEFAULTS.minAttainment);
  if (minAttainment !== undefined && goodputSlo.length === 0) throw capacityErrors.VIGIL_CAPACITY_BAD_OPTION({ name: '--min-attainment', value: minAttainment, rule: 'needs a per-request SLO such as --slo \'ttft<500ms\'' });
  const options: CapacityOptions = { base: { ...base, slo: goodputSlo }, slo, goodputSlo, minAttainment: attainment, search, stepDurationMs, settleMs };
  if (peakQps !== undefined) {
    options.peak = { peakQps: positive('--peak-qps', peakQps, 0), headroom: headroom !== undefined ? parsePercent(headroom, '--headroom') : CAPACITY_DEFAULTS.headroom };
    if (options.peak.headroom < 0) throw capacityErrors.VIGIL_CAPACITY_BAD_OPTION({ name: '--headroom', value: headroom, rule: 'must be 0 % or more' });
  } else if (headroom !== undefined) {
    throw capacityErrors.VIGIL_CAPACITY_BAD_OPTION({ name: '--headroom', value: headroom, rule: 'only makes sense with --peak-qps' });
  }
  return Object.freeze(options);
}

function scenarioSlo(f: CapacityFlags): string[] {
  return (loadScenarioFile(f.scenarioFile as string).thresholds ?? []).filter((t) => parseThreshold(t).metric !== 'qps');
}

function positive(name: string, text: string | undefined, dflt: number): number {
  if (text === undefined) return dflt;
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) throw capacityErrors.VIGIL_CAPACITY_BAD_OPTION({ name, value: text, rule: 'must be a number above 0' });
  return v;
}

function wholeNumber(name: string, text: string | undefined, dflt: number): number {
  if (text === undefined) return dflt;
  const v = Number(text.trim());
  if (!Number.isInteger(v) || v < 0) throw capacityErrors.VIGIL_CAPACITY_BAD_OPTION({ name, value: text, rule: 'must be a whole number, 0 or more' });
  return v;
}

function fraction(name: string, text: string | undefined, dflt: number): number {
  if (text === undefined) return dflt;
  const v = parsePercent(text, name);
  if (!(v >= 0 && v <= 1)) throw capacityErrors.VIGIL_CAPACITY_BAD_OPTION({ name, value: text, rule: 'must be between 0 % and 100 %' });
  return v;
}
