/**
 * The base of every coded error in vigil. Each area keeps its own registry of codes
 * (`load/errors.ts`, `monitor/errors.ts`, ...) built with `defineErrors`; this file only
 * holds the shape they share and the exit-code convention of the CLI.
 */

/** Process exit codes, k6's convention. */
export const ExitCode = Object.freeze({
  ok: 0,
  usage: 1,
  thresholds: 99,
  /** Stopped from outside (SIGINT/SIGTERM) before the planned end; the partial result is written (k6's code). */
  aborted: 105,
});

export interface ErrorSpec {
  /** Message template; `{name}` is replaced by `params.name`. Names the bad value and the rule. */
  readonly message: string;
  /** HTTP status when the error crosses an HTTP boundary (monitor, schedule). */
  readonly status?: number;
  /** CLI exit code; defaults to 1 (usage/config error). */
  readonly exitCode?: number;
}

export class VigilError extends Error {
  readonly code: string;
  readonly status: number;
  readonly exitCode: number;
  readonly params: Readonly<Record<string, unknown>>;

  constructor(code: string, spec: ErrorSpec, params: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(formatTemplate(spec.message, params), options);
    this.name = 'VigilError';
    this.code = code;
    this.status = spec.status ?? 400;
    this.exitCode = spec.exitCode ?? ExitCode.usage;
    this.params = Object.freeze({ ...params });
  }

  /** The JSON body of an HTTP error reply (fastify's shape). */
  toReply(): { statusCode: number; error: string; message: string; code: string } {
    return { statusCode: this.status, error: httpReason(this.status), message: this.message, code: this.code };
  }
}

export type ErrorFactory = (params?: Record<string, unknown>, options?: { cause?: unknown }) => VigilError;

/**
 * Builds an area's error registry: `const errors = defineErrors({ VIGIL_LOAD_BAD_RATE: {...} })`,
 * then `throw errors.VIGIL_LOAD_BAD_RATE({ value })`. The specs stay readable for documentation tests.
 */
export function defineErrors<K extends string>(specs: Record<K, ErrorSpec>): Readonly<Record<K, ErrorFactory>> & { readonly specs: Readonly<Record<K, ErrorSpec>> } {
  const factories = {} as Record<K, ErrorFactory>;
  for (const code of Object.keys(specs) as K[]) {
    const spec = specs[code];
    factories[code] = (params = {}, options) => new VigilError(code, spec, params, options);
  }
  return Object.freeze({ ...factories, specs: Object.freeze({ ...specs }) });
}

export function isVigilError(err: unknown): err is VigilError {
  return err instanceof VigilError;
}

function formatTemplate(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? formatValue(params[key]) : whole));
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  return JSON.stringify(value) ?? String(value);
}

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function httpReason(status: number): string {
  return REASONS[status] ?? 'Error';
}
