import type { SloConfig } from './slo-schema.ts';
import { deepFreeze } from '../common/index.ts';

/**
 * The test profile: the same rules with every `for` and the group interval shortened (and the
 * drift look-back window too), so an end-to-end test sees alerts fire within seconds.
 * Thresholds and expressions stay those of the production profile.
 */
export function testProfile(config: SloConfig): SloConfig {
  const p = config.testProfile;
  return deepFreeze({
    ...config,
    evaluationInterval: p.evaluationInterval,
    latency: { ...config.latency, for: p.for },
    availability: { ...config.availability, burnRates: config.availability.burnRates.map((b) => ({ ...b, for: p.for })) },
    drift: { ...config.drift, window: p.driftWindow, for: p.for },
    parity: { ...config.parity, for: p.for },
    driftHealth: { ...config.driftHealth, failingFor: p.for, staleFor: p.for },
    memory: { ...config.memory, for: p.for },
    gpu: { ...config.gpu, utilizationFor: p.for, memoryFor: p.for, collectorFor: p.for },
    targetDown: { ...config.targetDown, for: p.for },
    loadTest: { ...config.loadTest, for: Math.min(config.loadTest.for, p.for) },
  });
}
