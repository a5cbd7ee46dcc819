import { readCgroupMemoryLimit } from '../limits.ts';
import type { Sampler, SampleResult } from '../types.ts';

/** This process: RSS, V8 heap used/total and external memory (`process.memoryUsage()`). */
export function selfSampler(): Sampler {
  let limit: Promise<number | undefined> | undefined;
  return {
    target: 'self',
    type: 'memory',
    primaryKind: 'rss',
    async sample(): Promise<SampleResult> {
      limit ??= readCgroupMemoryLimit('self');
      const m = process.memoryUsage();
      const limitBytes = await limit;
      return {
        ok: true,
        memory: [
          { target: 'self', kind: 'rss', bytes: m.rss },
          { target: 'self', kind: 'heap_used', bytes: m.heapUsed },
          { target: 'self', kind: 'heap_total', bytes: m.heapTotal },
          { target: 'self', kind: 'external', bytes: m.external },
        ],
        gpus: [],
        ...(limitBytes !== undefined ? { limitBytes } : {}),
      };
    },
  };
}
