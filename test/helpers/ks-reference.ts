/**
 * The two-sample Kolmogorov–Smirnov statistic by merging the sorted samples: the largest gap
 * between the empirical CDFs. Written plainly here as an independent reference for tests —
 * it shares no code with monitor/drift.
 */
export function ksStatisticReference(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0; let j = 0; let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i] as number, y[j] as number);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}
