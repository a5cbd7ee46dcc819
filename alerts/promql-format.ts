/** Formatting of values inside PromQL and rule files. */

const UNITS: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/** Milliseconds as a Prometheus duration: 300000 → "5m", 90000 → "1m30s", 0 → "0s". */
export function promDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a duration: ${ms} ms`);
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) { out += `${n}${unit}`; rest -= n * size; }
  }
  return out;
}

/** A number as PromQL text without float noise: 0.1 + 0.2 → "0.3", 4294967296 → "4294967296". */
export function promNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(Number(value.toPrecision(12)));
}

/** Milliseconds as seconds for PromQL: 500 → "0.5". */
export function promSeconds(ms: number): string {
  return promNumber(ms / 1000);
}
