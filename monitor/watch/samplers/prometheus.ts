import { failure, type MemoryReading, type Sampler, type SampleResult } from '../types.ts';
import { fetchExposition, parseExposition, type ExpositionSample } from './exposition.ts';

/** Well-known memory metrics of prom-client, the Go and Python clients, and their kinds. */
const KNOWN: Record<string, string> = {
  process_resident_memory_bytes: 'rss',
  process_virtual_memory_bytes: 'virtual',
  nodejs_heap_size_used_bytes: 'heap_used',
  nodejs_heap_size_total_bytes: 'heap_total',
  nodejs_external_memory_bytes: 'external',
  go_memstats_heap_inuse_bytes: 'heap_inuse',
};

export interface MetricSelector {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Parses `name` or `name{label="value",...}` (a PromQL-style exact-match selector). */
export function parseMetricSelector(text: string): MetricSelector | undefined {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/.exec(text.trim());
  if (!m) return undefined;
  const labels: Record<string, string> = {};
  const body = (m[2] ?? '').trim();
  if (body !== '') {
    for (const part of body.split(',')) {
      const lm = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"([^"]*)"\s*$/.exec(part);
      if (!lm) return undefined;
      labels[lm[1] as string] = lm[2] as string;
    }
  }
  return { name: m[1] as string, labels };
}

function matches(s: ExpositionSample, sel: MetricSelector): boolean {
  return s.name === sel.name && Object.entries(sel.labels).every(([k, v]) => s.labels[k] === v);
}

/**
 * A remote target's Prometheus endpoint: `process_resident_memory_bytes` (kind `rss`) and the
 * other well-known memory metrics it exposes; with `metric`, that series is read too (kind = the
 * selector text) and the trend follows it. Several series matching the selector is an error,
 * not a sum: add labels to pick one.
 */
export function prometheusSampler(url: string, opts: { metric?: string; timeoutMs?: number } = {}): Sampler {
  const target = `metrics:${url}`;
  const selector = opts.metric !== undefined ? parseMetricSelector(opts.metric) : undefined;
  const timeoutMs = opts.timeoutMs ?? 5000;
  return {
    target,
    type: 'memory',
    primaryKind: opts.metric ?? 'rss',
    async sample(signal: AbortSignal): Promise<SampleResult> {
      let samples: ExpositionSample[];
      try {
        samples = parseExposition(await fetchExposition(url, timeoutMs, signal));
      } catch (err) {
        return failure((err as Error).message);
      }
      const memory: MemoryReading[] = [];
      for (const s of samples) {
        const kind = KNOWN[s.name];
        if (kind && Object.keys(s.labels).length === 0 && Number.isFinite(s.value)) memory.push({ target, kind, bytes: s.value });
      }
      if (selector && opts.metric !== undefined) {
        const found = samples.filter((s) => matches(s, selector));
        if (found.length !== 1) return failure(`${url}: ${found.length} series match ${opts.metric}; exactly one must`);
        memory.push({ target, kind: opts.metric, bytes: (found[0] as ExpositionSample).value });
      } else if (!memory.some((r) => r.kind === 'rss')) {
        return failure(`${url} has no process_resident_memory_bytes; name the metric to watch with --watch-metric`);
      }
      return { ok: true, memory, gpus: [] };
    },
  };
}
