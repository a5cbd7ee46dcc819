/**
 * The protocol options of a load run, flags over the scenario: `--http2`, `--max-streams`.
 * Validated here, before anything is sent; `resolveLoadOptions` merges the result into LoadOptions.
 */
import { protocolErrors } from './protocol-errors.ts';
import type { LoadOptions } from './options.ts';
import type { Scenario } from './scenario.ts';

export interface ProtocolInput {
  http2?: boolean | undefined;
  maxStreams?: string | undefined;
}

export function resolveProtocol(input: ProtocolInput, sc: Scenario, target: string): Pick<LoadOptions, 'http2' | 'maxStreams'> {
  const http2 = input.http2 ?? sc.http2 ?? false;
  const streamsText = input.maxStreams ?? (sc.maxStreams !== undefined ? String(sc.maxStreams) : undefined);
  const out: Pick<LoadOptions, 'http2' | 'maxStreams'> = {};
  if (streamsText !== undefined) {
    const n = Number(streamsText);
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) throw protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag: '--max-streams', value: streamsText, rule: 'must be a whole number of concurrent streams per connection, at least 1' });
    if (!http2) throw protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag: '--max-streams', value: streamsText, rule: 'streams exist in HTTP/2 only: give it with --http2' });
    out.maxStreams = n;
  }
  if (http2) {
    if (target !== '' && !/^https?:\/\//i.test(target)) throw protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag: '--http2', value: target, rule: 'needs an http:// (h2c) or https:// (h2) target' });
    out.http2 = true;
  }
  return out;
}
