import { commonErrors } from './common-errors.ts';

const SIZE_UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

/** Parses `4GiB`, `512MB`, `1048576` (bytes) into bytes. */
export function parseSizeBytes(value: string | number, name = 'size'): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(String(value));
  const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase() || 'b'];
  if (!m || unit === undefined) throw commonErrors.VIGIL_BAD_SIZE({ name, value: String(value) });
  return Number(m[1]) * unit;
}

/** Parses `10%` → 0.10 and `0.1` → 0.1 (a fraction). */
export function parsePercent(value: string | number, name = 'percentage'): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const text = String(value).trim();
  const m = /^(-?\d+(?:\.\d+)?)(%?)$/.exec(text);
  if (!m) throw commonErrors.VIGIL_BAD_PERCENT({ name, value: text });
  return m[2] === '%' ? Number(m[1]) / 100 : Number(m[1]);
}

/** Formats bytes with binary units: 1.5 MiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}
