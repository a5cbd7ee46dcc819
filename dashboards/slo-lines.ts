import type { SloConfig } from '../alerts/slo-schema.ts';
import { burnRateThreshold, timesHundred } from '../alerts/decimal.ts';
import { promDuration, promNumber } from '../alerts/promql-format.ts';

/** The alert thresholds the dashboards draw as dashed lines, from the same SLO config as the rules. */
export interface SloLines {
  p99Seconds: number;
  p99Text: string;             // "500ms"
  errorCodes: string;          // regex on `code` of failed requests
  pageErrorRatio: number;      // error-ratio threshold of the first critical burn-rate alert
  pageText: string;            // "1.44 %, the 1h/5m page threshold of the 99.9 % objective (14.4 × budget)"
  minAgreement: number;
  gpuUtilization: number;
  gpuMemory: number;
  maxGrowthBytesPerSecond: number;
}

export function sloLines(slo: SloConfig): SloLines {
  const rates = slo.availability.burnRates;
  const page = rates.find((b) => b.severity === 'critical') ?? rates[0];
  if (!page) throw new RangeError('an SLO config has at least one burn rate');
  const threshold = burnRateThreshold(slo.availability.objective, page.factor);
  return {
    p99Seconds: Number(promNumber(slo.latency.p99 / 1000)),
    p99Text: promDuration(slo.latency.p99),
    errorCodes: slo.availability.errorCodes,
    pageErrorRatio: Number(threshold),
    pageText: `${timesHundred(threshold)} %, the ${promDuration(page.long)}/${promDuration(page.short)} ${page.severity} threshold of the ${slo.availability.objective} % objective (${page.factor} × budget)`,
    minAgreement: slo.parity.minAgreement,
    gpuUtilization: slo.gpu.utilization,
    gpuMemory: slo.gpu.memory,
    maxGrowthBytesPerSecond: slo.memory.maxGrowth,
  };
}

/** A ratio as a percentage for descriptions: 0.95 → "95". */
export function percentText(ratio: number): string {
  return promNumber(ratio * 100);
}
