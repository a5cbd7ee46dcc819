/**
 * Scenario files (`vigil load run SCENARIO.yaml`): YAML or JSON carrying everything the flags do.
 * Validated once (zod, unknown keys rejected, errors with the key's path), then frozen.
 * `iterations` is the request count (the flag is --requests; `requests:` is the request list).
 */
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { parseConfigText } from '../common/config.ts';
import { commonErrors } from '../common/common-errors.ts';
import { interpolateEnv } from './env-interpolate.ts';
import { requestFields } from './sources/request-spec.ts';

const duration = z.union([z.string().min(1), z.number().nonnegative()]);

const requestSchema = z.object(requestFields).strict()
  .refine((r) => (r.url === undefined) !== (r.path === undefined), { message: 'exactly one of "url" and "path" is required' })
  .refine((r) => r.body === undefined || r.body_base64 === undefined, { message: '"body" and "body_base64" exclude each other' });

export const scenarioSchema = z.object({
  name: z.string().min(1).optional(),
  target: z.string().min(1).optional(),
  requests: z.array(requestSchema).min(1).optional(),
  replay: z.string().min(1).optional(),
  har: z.string().min(1).optional(),
  rate: z.number().positive().finite().optional(),
  connections: z.number().int().positive().optional(),
  stages: z.array(z.object({ duration, target: z.number().nonnegative().finite() }).strict()).min(1).optional(),
  startRate: z.number().nonnegative().finite().optional(),
  timing: z.literal('original').optional(),
  speed: z.number().positive().finite().optional(),
  loop: z.boolean().optional(),
  duration: duration.optional(),
  iterations: z.number().int().positive().optional(),
  warmup: duration.optional(),
  timeout: duration.optional(),
  maxInFlight: z.number().int().positive().optional(),
  maxConnections: z.number().int().positive().optional(),
  thresholds: z.array(z.string().min(1)).optional(),
  arrival: z.string().min(1).optional(),
  burstiness: z.number().min(0.01).max(1000).optional(),
  seed: z.number().int().nonnegative().max(0xffffffff).optional(),
  slo: z.array(z.string().min(1)).optional(),
  deadline: duration.optional(),
  harIncludeHost: z.array(z.string().min(1)).optional(),
  harExcludeType: z.array(z.string().min(1)).optional(),
  http2: z.boolean().optional(),
  maxStreams: z.number().int().positive().optional(),
}).strict();

export type Scenario = z.output<typeof scenarioSchema>;

/** Reads a scenario file: `${VAR}` / `${VAR:-default}` replaced from `env`, then parsed and validated once. */
export function loadScenarioFile(file: string, env: Readonly<Record<string, string | undefined>> = process.env): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw commonErrors.VIGIL_CONFIG_NOT_FOUND({ file, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
  }
  return parseConfigText(interpolateEnv(text, env, file), file, scenarioSchema) as Scenario;
}
