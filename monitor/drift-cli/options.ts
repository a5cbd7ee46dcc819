import { z } from 'zod';
import { driftErrors } from '../drift/errors.ts';
import { MMD_AGGREGATES } from '../drift/mmd.ts';

/** Options of `vigil drift test`, validated once and frozen. Defaults live here. */
export interface DriftTestCommandOptions {
  reference: string;
  current: string;
  /** Numeric features by name or 0-based index; default: every non-categorical column. */
  features?: string[];
  categorical: string[];
  /** Significance level (default 0.05). */
  alpha: number;
  correction: 'bonferroni' | 'fdr';
  /** MMD permutations (default 100). */
  permutations: number;
  /** RNG seed of the permutations and of the MMD subsample (default 0). */
  seed: number;
  sigma?: number[];
  /** Bandwidths as multiples of the median heuristic (`--sigma 0.5x,1x,2x`). */
  sigmaScale?: number[];
  /** Quantile bins of the reference for PSI (default 10). */
  bins: number;
  /** At most this many rows per side enter the MMD test (seeded subsample above; default 5000). */
  mmdMaxSamples: number;
  /** How the MMD permutation sums are computed (default auto; see mmdBackend in run.ts). */
  mmdBackend: 'auto' | 'js' | 'onnxruntime';
  /** How several bandwidths combine: kernel mean (default) or min-p over the permutations. */
  mmdAggregate: 'mean' | 'minp';
  /** z-score features with the reference's mean/sd before MMD (default false, as alibi-detect). */
  standardize: boolean;
  json: boolean;
  out?: string;
  html?: string;
}

export const DRIFT_TEST_DEFAULTS = Object.freeze({ alpha: 0.05, correction: 'bonferroni', permutations: 100, seed: 0, bins: 10, mmdMaxSamples: 5000 });

/** The flags as commander hands them over (strings). */
export interface DriftTestFlags {
  reference: string; current: string; features?: string; categorical?: string; alpha?: string; correction?: string;
  permutations?: string; seed?: string; sigma?: string; bins?: string; mmdMaxSamples?: string; mmdBackend?: string; mmdAggregate?: string; standardize?: boolean; json?: boolean; out?: string; html?: string;
}

const list = (s: string | undefined): string[] | undefined => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter((x) => x !== ''));

function num(name: string, value: string | undefined, fallback: number, rule: string, ok: (n: number) => boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !ok(n)) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: `--${name}`, value, rule });
  return n;
}

const correctionSchema = z.enum(['bonferroni', 'fdr']);
const backendSchema = z.enum(['auto', 'js', 'onnxruntime']);
const aggregateSchema = z.enum(MMD_AGGREGATES);

export function parseDriftTestFlags(flags: DriftTestFlags): Readonly<DriftTestCommandOptions> {
  const correction = correctionSchema.safeParse(flags.correction ?? DRIFT_TEST_DEFAULTS.correction);
  if (!correction.success) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: '--correction', value: flags.correction, rule: 'bonferroni or fdr' });
  const backend = backendSchema.safeParse(flags.mmdBackend ?? 'auto');
  if (!backend.success) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: '--mmd-backend', value: flags.mmdBackend, rule: 'auto, js or onnxruntime' });
  const whole = (min: number) => (n: number): boolean => Number.isInteger(n) && n >= min;
  const aggregate = aggregateSchema.safeParse(flags.mmdAggregate ?? 'mean');
  if (!aggregate.success) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: '--mmd-aggregate', value: flags.mmdAggregate, rule: 'mean or minp' });
  const { sigma, sigmaScale } = parseSigma(flags.sigma);
  return Object.freeze({
    reference: flags.reference,
    current: flags.current,
    features: list(flags.features),
    categorical: list(flags.categorical) ?? [],
    alpha: num('alpha', flags.alpha, DRIFT_TEST_DEFAULTS.alpha, 'a number between 0 and 1 (exclusive)', (n) => n > 0 && n < 1),
    correction: correction.data,
    permutations: num('permutations', flags.permutations, DRIFT_TEST_DEFAULTS.permutations, 'a whole number >= 1', whole(1)),
    seed: num('seed', flags.seed, DRIFT_TEST_DEFAULTS.seed, 'a whole number >= 0', whole(0)),
    sigma,
    sigmaScale,
    mmdAggregate: aggregate.data,
    bins: num('bins', flags.bins, DRIFT_TEST_DEFAULTS.bins, 'a whole number >= 2', whole(2)),
    mmdMaxSamples: num('mmd-max-samples', flags.mmdMaxSamples, DRIFT_TEST_DEFAULTS.mmdMaxSamples, 'a whole number >= 2', whole(2)),
    mmdBackend: backend.data,
    standardize: flags.standardize === true,
    json: flags.json === true,
    out: flags.out,
    html: flags.html,
  });
}

const SIGMA_RULE = 'positive numbers (bandwidths) or positive multiples of the median heuristic written with an x (0.5x,1x,2x), comma-separated, not mixed';

/** `--sigma 2` or `--sigma 1,2,4`: bandwidths; `--sigma 0.5x` or `--sigma 0.5x,1x,2x`: multiples of the median heuristic. */
export function parseSigma(value: string | undefined): { sigma: number[] | undefined; sigmaScale: number[] | undefined } {
  const items = list(value);
  if (!items || items.length === 0) return { sigma: undefined, sigmaScale: undefined };
  const relative = items.map((s) => /x$/i.test(s));
  if (relative.some((r) => r !== relative[0])) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: '--sigma', value, rule: SIGMA_RULE });
  const numbers = items.map((s) => {
    const text = relative[0] ? s.slice(0, -1) : s;
    const n = text.trim() === '' ? Number.NaN : Number(text);
    if (!(Number.isFinite(n) && n > 0)) throw driftErrors.VIGIL_DRIFT_BAD_OPTION({ name: '--sigma', value, rule: SIGMA_RULE });
    return n;
  });
  return relative[0] ? { sigma: undefined, sigmaScale: numbers } : { sigma: numbers, sigmaScale: undefined };
}
