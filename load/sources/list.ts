import type { PreparedRequest, TrafficSource } from './source.ts';

/** A source over a fixed list of prepared requests, cycled in order. */
export function listSource(requests: readonly PreparedRequest[], description: string): TrafficSource {
  const items = Object.freeze([...requests]);
  return {
    description,
    size: items.length,
    timed: items.length > 0 && items.every((r) => r.t !== undefined),
    at: (index) => items[index % items.length] as PreparedRequest,
  };
}
