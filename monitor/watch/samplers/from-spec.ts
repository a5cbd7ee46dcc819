import type { TargetSpec } from '../options.ts';
import type { Sampler } from '../types.ts';
import { dcgmSampler } from './dcgm.ts';
import { nvidiaSmiSampler } from './nvidia-smi.ts';
import { pidSampler } from './pid.ts';
import { prometheusSampler } from './prometheus.ts';
import { selfSampler } from './self.ts';

/** The sampler for one validated target spec. */
export function samplerFor(spec: TargetSpec): Sampler {
  switch (spec.kind) {
    case 'self': return selfSampler();
    case 'pid': return pidSampler(spec.pid);
    case 'metrics-url': return prometheusSampler(spec.url, { ...(spec.metric !== undefined ? { metric: spec.metric } : {}), ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}) });
    case 'nvidia-smi': return nvidiaSmiSampler({
      ...(spec.binary !== undefined ? { binary: spec.binary } : {}),
      ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}),
      ...(spec.env !== undefined ? { env: { ...process.env, ...spec.env } } : {}),
    });
    case 'dcgm': return dcgmSampler(spec.url, spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {});
  }
}
