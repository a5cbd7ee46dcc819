/**
 * The protocol options of a load run, flags over the scenario: `--http2`, `--max-streams`.
 * Validated here, before anything is sent; `resolveLoadOptions` merges the result into LoadOptions.
 */
import { protocolErrors } from './protocol-errors.ts';
import { protocolSource } from './grpc/grpc-source.ts';
import { isGrpcTarget } from './open-transport.ts';
import type { LoadOptions } from './options.ts';
import type { Scenario } from './scenario.ts';
import type { TrafficSource } from './sources/source.ts';

export interface ProtocolInput {
  http2?: boolean | undefined;
  maxStreams?: string | undefined;
  proto?: string | undefined;
  protocol?: string | undefined;
  model?: string | undefined;
  modelVersion?: string | undefined;
  inputs?: string | undefined;
  method?: string | undefined;
  body?: string | undefined;
  header?: string[] | undefined;
  name?: string | undefined;
  replay?: string | undefined;
  har?: string | undefined;
}

/** A gRPC target, or the built-in protocol (`--protocol kserve-v2`, REST or gRPC), makes the requests. */
export function usesProtocolSource(input: ProtocolInput, target: string): boolean {
  return isGrpcTarget(target) || input.protocol !== undefined || input.proto !== undefined || input.inputs !== undefined;
}

export function resolveProtocolSource(input: ProtocolInput, target: string): TrafficSource {
  if (input.har !== undefined) throw protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag: '--har', value: input.har, rule: 'HAR files carry HTTP requests; a gRPC target takes --proto/--method/--body, --proto with --replay calls.jsonl, or --protocol kserve-v2 --inputs' });
  if (input.replay !== undefined && !isGrpcTarget(target)) throw protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag: '--replay', value: input.replay, rule: 'with --proto/--protocol the replay file is a gRPC one: give a grpc:// or grpcs:// --target' });
  return protocolSource({ ...input, grpc: isGrpcTarget(target) });
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
    if (isGrpcTarget(target)) throw protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag: '--http2', value: target, rule: 'needs an http:// (h2c) or https:// (h2) target' });
    out.http2 = true;
  }
  return out;
}
