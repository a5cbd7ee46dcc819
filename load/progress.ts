/**
 * Live progress: on a TTY one line rewritten in place (elapsed/total, QPS, P50/P95/P99, errors);
 * otherwise a plain line every few seconds. Always on stderr, so stdout stays machine-readable.
 */
import { formatDurationMs } from '../common/duration.ts';
import type { ProgressSnapshot } from './engine.ts';

export interface ProgressPrinter {
  update(p: ProgressSnapshot): void;
  done(): void;
}

export function progressLine(p: ProgressSnapshot): string {
  const total = p.totalMs !== undefined ? `/${formatDurationMs(p.totalMs)}` : '';
  const head = `${p.phase === 'warmup' ? 'warmup ' : p.phase === 'drain' ? 'draining ' : ''}${formatDurationMs(p.elapsedMs)}${total}`;
  const last = p.last;
  // The interval's percentiles come from its responses; an interval of errors only has none.
  const lat = last && (last.latencyMs.max ?? 0) > 0 ? `p50 ${last.latencyMs.p50}ms p95 ${last.latencyMs.p95}ms p99 ${last.latencyMs.p99}ms` : 'p50 – p95 – p99 –';
  const dropped = p.droppedIterations > 0 ? ` dropped ${p.droppedIterations}` : '';
  return `${head}  ${last ? last.qps : 0} req/s  ${lat}  requests ${p.requests} errors ${p.errors} in-flight ${p.inFlight}${dropped}`;
}

export function createProgressPrinter(mode: 'tty' | 'plain' | 'none', out: NodeJS.WritableStream, plainEveryMs = 5_000): ProgressPrinter {
  if (mode === 'none') return { update: () => undefined, done: () => undefined };
  if (mode === 'tty') {
    let width = 0;
    return {
      update(p) {
        const line = progressLine(p);
        out.write(`\r${line.padEnd(width)}`);
        width = line.length;
      },
      done() { if (width > 0) out.write('\n'); },
    };
  }
  let lastAt = -Infinity;
  return {
    update(p) {
      if (p.elapsedMs - lastAt < plainEveryMs - 500) return;
      lastAt = p.elapsedMs;
      out.write(`${progressLine(p)}\n`);
    },
    done() { /* plain lines need no cleanup */ },
  };
}
