import { parseSizeBytes } from '../../common/units.ts';
import { watchErrors } from './errors.ts';

const PER: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60, h: 3600, d: 86_400 };

/** `1MiB/min`, `10MB/s`, `100MB/h`, `512KiB/s` → bytes per second. */
export function parseGrowthRate(text: string, name = '--min-growth'): number {
  const m = /^\s*([^/]+)\/\s*([a-z]+)\s*$/i.exec(text);
  const per = m ? PER[(m[2] as string).toLowerCase()] : undefined;
  if (!m || per === undefined) throw watchErrors.VIGIL_WATCH_BAD_RATE({ name, value: text });
  try {
    return parseSizeBytes(m[1] as string, name) / per;
  } catch (err) {
    throw watchErrors.VIGIL_WATCH_BAD_RATE({ name, value: text }, { cause: err });
  }
}

/** Bytes/s for humans: `3.1 MiB/s`, `12.0 MiB/h` for slow ones. */
export function formatRate(bytesPerSecond: number): string {
  const abs = Math.abs(bytesPerSecond);
  if (abs >= 1024 * 1024) return `${(bytesPerSecond / 1024 / 1024).toFixed(2)} MiB/s`;
  if (abs >= 1024) return `${(bytesPerSecond / 1024).toFixed(1)} KiB/s`;
  return `${((bytesPerSecond * 3600) / 1024 / 1024).toFixed(1)} MiB/h`;
}
