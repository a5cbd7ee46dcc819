import { z } from 'zod';
import { validateConfig } from '../../common/config.ts';
import { DEFAULT_LEAK_POLICY } from './leak.ts';

const url = z.string().regex(/^https?:\/\//, 'must be an http(s) URL');

export const TargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('self') }).strict(),
  z.object({ kind: z.literal('pid'), pid: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('metrics-url'), url, metric: z.string().min(1).optional(), timeoutMs: z.number().positive().optional() }).strict(),
  z.object({ kind: z.literal('nvidia-smi'), binary: z.string().min(1).optional(), timeoutMs: z.number().positive().optional(), env: z.record(z.string(), z.string()).optional() }).strict(),
  z.object({ kind: z.literal('dcgm'), url, timeoutMs: z.number().positive().optional() }).strict(),
]);
export type TargetSpec = z.input<typeof TargetSchema>;

/**
 * The serialisable part of `createWatcher`'s options, with defaults and units:
 * sampleIntervalMs 1000 ms; windowMs 600 000 ms (10 min); evaluateIntervalMs = window/20 but at
 * least one sample interval; maxPoints 60 (bucket minima the trend runs on); memoryLimitBytes
 * overrides the cgroup limit; leak: see DEFAULT_LEAK_POLICY (minSpanSeconds defaults to 90 % of the
 * window: no verdict before the window is full); labels are added to every series (e.g. { model: 'resnet' }).
 */
export const WatcherConfigSchema = z.object({
  targets: z.array(TargetSchema).default([]),
  sampleIntervalMs: z.number().positive().default(1000),
  windowMs: z.number().positive().default(600_000),
  evaluateIntervalMs: z.number().positive().optional(),
  memoryLimitBytes: z.number().positive().optional(),
  maxPoints: z.number().int().min(3).default(60),
  leak: z.object({
    alpha: z.number().gt(0).lt(1).default(DEFAULT_LEAK_POLICY.alpha),
    minSlopeBytesPerSecond: z.number().min(0).default(DEFAULT_LEAK_POLICY.minSlopeBytesPerSecond),
    sustain: z.number().int().min(1).default(DEFAULT_LEAK_POLICY.sustain),
    minSamples: z.number().int().min(3).default(DEFAULT_LEAK_POLICY.minSamples),
    minSpanSeconds: z.number().min(0).optional(),
  }).strict().default({
    alpha: DEFAULT_LEAK_POLICY.alpha,
    minSlopeBytesPerSecond: DEFAULT_LEAK_POLICY.minSlopeBytesPerSecond,
    sustain: DEFAULT_LEAK_POLICY.sustain,
    minSamples: DEFAULT_LEAK_POLICY.minSamples,
  }),
  labels: z.record(z.string(), z.string()).default({}),
}).strict().refine((c) => c.windowMs >= 3 * c.sampleIntervalMs, { message: 'windowMs must hold at least 3 samples (≥ 3 × sampleIntervalMs)', path: ['windowMs'] });

export type WatcherConfigInput = z.input<typeof WatcherConfigSchema>;
export type WatcherConfig = z.output<typeof WatcherConfigSchema>;

export function parseWatcherConfig(input: unknown): Readonly<WatcherConfig> {
  return validateConfig(input, 'watcher options', WatcherConfigSchema);
}
