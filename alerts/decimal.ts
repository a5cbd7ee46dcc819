import { alertsErrors } from './errors.ts';

/**
 * Exact decimal arithmetic for rule constants. `1 - 0.999` in floating point is
 * 0.0009999999999999432, which would end up verbatim in a rule file; SLO thresholds are instead
 * computed on scaled integers (BigInt) and printed as the shortest exact decimal.
 */
export interface Decimal { readonly units: bigint; readonly scale: number } // value = units / 10^scale

/** Parses a finite, non-negative decimal written in plain notation (`99.9`, `14.4`, `6`). */
export function parseDecimal(text: string, name: string): Decimal {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw alertsErrors.VIGIL_ALERTS_BAD_DECIMAL({ name, value: text });
  const frac = m[2] ?? '';
  return { units: BigInt(`${m[1]}${frac}`), scale: frac.length };
}

/** A JS number as the decimal it prints as (`String(99.9)` is "99.9", the intended value). */
export function decimalFromNumber(value: number, name: string): Decimal {
  if (!Number.isFinite(value) || value < 0) throw alertsErrors.VIGIL_ALERTS_BAD_DECIMAL({ name, value: String(value) });
  const text = String(value);
  // Tiny or huge numbers print in exponent notation; expand them exactly via toFixed.
  return parseDecimal(/e/i.test(text) ? value.toFixed(20) : text, name);
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** The error budget of an availability objective in percent: 99.9 → 0.001 (exact). */
export function errorBudget(objectivePercent: Decimal): Decimal {
  const hundred = 100n * 10n ** BigInt(objectivePercent.scale);
  return { units: hundred - objectivePercent.units, scale: objectivePercent.scale + 2 };
}

/** Shortest plain-notation text of a decimal: 0.0144, 6, 0.001. */
export function formatDecimal(d: Decimal): string {
  const digits = d.units.toString().padStart(d.scale + 1, '0');
  const intPart = digits.slice(0, digits.length - d.scale);
  const fracPart = digits.slice(digits.length - d.scale).replace(/0+$/, '');
  return fracPart ? `${intPart}.${fracPart}` : intPart;
}

/** The error-ratio threshold of a burn-rate alert: factor × (1 − objective), exact. */
export function burnRateThreshold(objectivePercent: string, factor: number): string {
  return formatDecimal(multiply(decimalFromNumber(factor, 'burn-rate factor'), errorBudget(parseDecimal(objectivePercent, 'availability objective'))));
}

/** 100 − objective, exact: "99.9" → "0.1". */
export function errorBudgetPercent(objectivePercent: string): string {
  const o = parseDecimal(objectivePercent, 'availability objective');
  return formatDecimal({ units: 100n * 10n ** BigInt(o.scale) - o.units, scale: o.scale });
}

/** A decimal text × 100, exact: "0.0144" → "1.44". */
export function timesHundred(text: string): string {
  const d = parseDecimal(text, 'ratio');
  return formatDecimal({ units: d.units * 100n, scale: d.scale });
}
