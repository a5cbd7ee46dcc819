import type { LoadSummary } from '../result.ts';
import type { RegressionLimits } from './config.ts';

/** The numbers a run is compared on. Latencies in ms, qps in req/s, errorRate a fraction. */
export interface BaselineFigures { p50: number; p95: number; p99: number; qps: number; errorRate: number }

export interface Baseline {
  kind: 'median' | 'file' | 'none';
  /** Runs the median was taken over (0 for none, 1 for a file). */
  runs: number;
  file?: string;
  figures: BaselineFigures | null;
}

export interface RegressionCheck {
  metric: 'p50' | 'p95' | 'p99' | 'qps' | 'error_rate';
  baseline: number;
  current: number;
  /** Relative change for latency and qps (0.1 = +10 %); absolute difference for error_rate. */
  change: number;
  /** The allowed change (positive: increase for latency/errors, decrease for qps). */
  limit: number;
  ok: boolean;
}

export interface Verdict {
  baseline: Baseline;
  checks: RegressionCheck[];
  regressed: boolean;
  thresholdsOk: boolean;
  /** Thresholds met and no regression; an aborted run never passes. */
  passed: boolean;
}

/** Limits are inclusive: +10 % on 100 ms is 110 ms, even when 110/100 − 1 rounds above 0.1. */
const EPS = 1e-9;

export function figuresOf(s: LoadSummary): BaselineFigures {
  return { p50: s.latencyMs.p50, p95: s.latencyMs.p95, p99: s.latencyMs.p99, qps: s.qps, errorRate: s.errors.rate };
}

/** Median of each figure over the given runs (each figure on its own; a run need not be the median of all). */
export function medianBaseline(runs: readonly BaselineFigures[]): BaselineFigures | null {
  if (runs.length === 0) return null;
  const med = (k: keyof BaselineFigures): number => {
    const v = runs.map((r) => r[k]).sort((a, b) => a - b);
    const mid = v.length >> 1;
    return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
  };
  return { p50: med('p50'), p95: med('p95'), p99: med('p99'), qps: med('qps'), errorRate: med('errorRate') };
}

/**
 * Compares a run with its baseline. Latency: relative increase above the limit regresses;
 * qps: relative decrease above the limit; error rate: absolute increase above the limit.
 */
export function judgeRun(current: BaselineFigures, baseline: Baseline, limits: RegressionLimits, thresholdsOk: boolean, aborted: boolean): Verdict {
  const checks: RegressionCheck[] = [];
  const b = baseline.figures;
  if (b) {
    const latency = (metric: 'p50' | 'p95' | 'p99', limit: number | undefined): void => {
      if (limit === undefined) return;
      const change = b[metric] > 0 ? current[metric] / b[metric] - 1 : current[metric] > 0 ? Infinity : 0;
      checks.push({ metric, baseline: b[metric], current: current[metric], change, limit, ok: change <= limit + EPS });
    };
    latency('p50', limits.maxP50Increase);
    latency('p95', limits.maxP95Increase);
    latency('p99', limits.maxP99Increase);
    const qpsChange = b.qps > 0 ? current.qps / b.qps - 1 : 0;
    checks.push({ metric: 'qps', baseline: b.qps, current: current.qps, change: qpsChange, limit: limits.maxQpsDecrease, ok: -qpsChange <= limits.maxQpsDecrease + EPS });
    const errChange = current.errorRate - b.errorRate;
    checks.push({ metric: 'error_rate', baseline: b.errorRate, current: current.errorRate, change: errChange, limit: limits.maxErrorRateIncrease, ok: errChange <= limits.maxErrorRateIncrease + EPS });
  }
  const regressed = checks.some((c) => !c.ok);
  return { baseline, checks, regressed, thresholdsOk, passed: !aborted && thresholdsOk && !regressed };
}
