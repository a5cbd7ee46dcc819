import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One sample of the Prometheus text exposition format. */
export interface ExpositionSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses exposition text (with the library) into flat gauge/counter/untyped samples. */
export function parseExposition(text: string): ExpositionSample[] {
  const out: ExpositionSample[] = [];
  // The library drops a last sample line that has no newline after it.
  for (const family of parsePrometheusTextFormat(text.endsWith('\n') ? text : `${text}\n`)) {
    if (family.type === 'HISTOGRAM' || family.type === 'SUMMARY') continue;
    for (const m of family.metrics) {
      if (m.value === undefined) continue;
      out.push({ name: family.name, labels: m.labels ?? {}, value: Number(m.value) });
    }
  }
  return out;
}

/** GETs a metrics endpoint with a timeout; throws a plain Error naming the URL on failure. */
export async function fetchExposition(url: string, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const res = await fetch(url, {
    headers: { accept: 'text/plain;version=0.0.4' },
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
  }).catch((err: unknown) => {
    const e = err as Error;
    throw new Error(e.name === 'TimeoutError' ? `${url} did not answer within ${timeoutMs} ms` : `${url}: ${(e.cause as Error | undefined)?.message ?? e.message}`);
  });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
  return res.text();
}
