import { column, type Matrix } from '../drift/matrix.ts';
import { countBy, type CategoricalColumn } from '../drift/index.ts';

/** Overlaid histogram of one feature: shared bins, densities (fraction of each sample per bin). */
export interface FeatureHistogram { name: string; labels: string[]; reference: number[]; current: number[] }

/** Numeric features: `bins` equal-width bins over the pooled range of both samples. */
export function numericHistograms(ref: Matrix, cur: Matrix, names: string[], bins = 30): FeatureHistogram[] {
  return names.map((name, c) => {
    const a = column(ref, c);
    const b = column(cur, c);
    let lo = Infinity, hi = -Infinity;
    for (const v of a) { if (v < lo) lo = v; if (v > hi) hi = v; }
    for (const v of b) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const width = hi > lo ? (hi - lo) / bins : 1;
    const count = (xs: Float64Array): number[] => {
      const h = new Array<number>(bins).fill(0);
      for (const v of xs) { const i = Math.min(bins - 1, Math.floor((v - lo) / width)); h[i] = (h[i] as number) + 1 / xs.length; }
      return h;
    };
    const labels = Array.from({ length: bins }, (_, i) => formatEdge(lo + (i + 0.5) * width));
    return { name, labels, reference: count(a), current: count(b) };
  });
}

/** Categorical features: one bar per category, fractions of each sample. */
export function categoricalHistograms(columns: CategoricalColumn[]): FeatureHistogram[] {
  return columns.map((c) => {
    const r = countBy(c.reference);
    const k = countBy(c.current);
    const labels = [...new Set([...r.keys(), ...k.keys()])].sort();
    return { name: c.name, labels, reference: labels.map((l) => (r.get(l) ?? 0) / c.reference.length), current: labels.map((l) => (k.get(l) ?? 0) / c.current.length) };
  });
}

function formatEdge(v: number): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(2);
}
