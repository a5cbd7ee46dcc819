import { formatBytes } from '../../common/units.ts';
import { formatDurationMs } from '../../common/duration.ts';
import type { TargetVerdict, WatchSnapshot } from './metrics.ts';
import { formatRate } from './rate.ts';

/** `vigil watch --json`: one verdict per watched series (SPEC `vigil.watch.result/v1`). */
export interface WatchResult {
  readonly schema: 'vigil.watch.result/v1';
  readonly targets: readonly {
    target: string; kind: string; leakSuspected: boolean;
    /** Theil–Sen slope, bytes/s; null before the window holds 3 samples. */
    slopeBytesPerSecond: number | null;
    /** Mann–Kendall two-sided p-value. */
    pValue: number | null;
    samples: number;
    /** null without a limit or when memory is not growing. */
    secondsToExhaustion: number | null;
    spanSeconds: number; latestBytes: number | null; limitBytes: number | null;
  }[];
  /** Absent when no GPU sampler was configured. */
  readonly gpu?: { collectSuccess: boolean; error?: string; gpus: unknown[] };
  /** Targets whose last sample failed, with the reason. */
  readonly failures: readonly { target: string; error: string }[];
}

export function buildWatchResult(snapshot: WatchSnapshot): WatchResult {
  return {
    schema: 'vigil.watch.result/v1',
    targets: snapshot.verdicts.map((v) => ({
      target: v.target, kind: v.kind, leakSuspected: v.leakSuspected,
      slopeBytesPerSecond: v.slopeBytesPerSecond, pValue: v.pValue, samples: v.samples,
      secondsToExhaustion: v.secondsToExhaustion !== null && Number.isFinite(v.secondsToExhaustion) ? v.secondsToExhaustion : null,
      spanSeconds: v.spanSeconds, latestBytes: v.latestBytes, limitBytes: v.limitBytes,
    })),
    ...(snapshot.gpu.configured ? { gpu: { collectSuccess: snapshot.gpu.ok, ...(snapshot.gpu.error ? { error: snapshot.gpu.error } : {}), gpus: [...snapshot.gpu.gpus] } } : {}),
    failures: snapshot.collect.filter((c) => !c.ok).map((c) => ({ target: c.target, error: c.error ?? 'failed' })),
  };
}

/** The human table: one line per target with units. */
export function formatVerdicts(verdicts: readonly TargetVerdict[]): string {
  const rows = [['target', 'kind', 'samples', 'latest', 'slope', 'p-value', 'to limit', 'verdict']];
  for (const v of verdicts) {
    rows.push([
      v.target, v.kind, String(v.samples),
      v.latestBytes === null ? '-' : formatBytes(v.latestBytes),
      v.slopeBytesPerSecond === null ? '-' : formatRate(v.slopeBytesPerSecond),
      v.pValue === null ? '-' : v.pValue.toExponential(2),
      v.secondsToExhaustion === null ? 'no limit' : Number.isFinite(v.secondsToExhaustion) ? formatDurationMs(v.secondsToExhaustion * 1000) : 'never',
      v.leakSuspected ? 'LEAK SUSPECTED' : 'ok',
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return `${rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}
