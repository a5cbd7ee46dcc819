/**
 * Unary gRPC methods from .proto files: `--proto FILE --method pkg.Service/Method` resolves to the
 * method's path and its request serializer (@grpc/proto-loader, field names as written in the
 * proto), and a JSON body is checked against the request type before the run — protobuf encoders
 * silently drop fields they do not know, which would send an empty request thousands of times.
 */
import { join } from 'node:path';
import { packageRoot } from '../../common/package-root.ts';
import { loadSync, type MethodDefinition, type PackageDefinition } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { protocolErrors } from '../protocol-errors.ts';

export interface UnaryMethod {
  /** `/pkg.Service/Method`, the HTTP/2 path of the call. */
  path: string;
  /** `pkg.Service/Method`, as the user named it. */
  name: string;
  /** JSON (proto field names) → the encoded request message. */
  encode(body: unknown): Buffer;
}

/** The Open Inference Protocol proto shipped with vigil (found from the package root: compiled code runs from dist/). */
export const KSERVE_V2_PROTO = join(packageRoot(import.meta.url), 'load', 'grpc', 'proto', 'grpc_predict_v2.proto');
export const MODEL_INFER = 'inference.GRPCInferenceService/ModelInfer';

const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true };

const bad = (flag: string, value: string, rule: string): Error => protocolErrors.VIGIL_LOAD_BAD_PROTOCOL_OPTION({ flag, value, rule });

export function loadUnaryMethod(protoFile: string, method: string): UnaryMethod {
  const m = /^\/?([A-Za-z_][\w.]*)\/([A-Za-z_]\w*)$/.exec(method);
  if (!m) throw bad('--method', method, 'name a gRPC method as package.Service/Method');
  const [, service, rpc] = m as unknown as [string, string, string];
  let def: PackageDefinition;
  let root: protobuf.Root;
  try {
    def = loadSync(protoFile, LOADER_OPTIONS);
    root = new protobuf.Root().loadSync(protoFile, { keepCase: true });
  } catch (err) {
    throw bad('--proto', protoFile, `cannot be loaded: ${(err as Error).message}`);
  }
  const svc = def[service];
  if (!svc || 'format' in svc) {
    const services = Object.entries(def).filter(([, v]) => !('format' in v)).map(([k]) => k);
    throw bad('--method', method, `${protoFile} has no service ${service} (services: ${services.join(', ') || 'none'})`);
  }
  const md = (svc as Record<string, MethodDefinition<object, object>>)[rpc];
  if (!md) throw bad('--method', method, `service ${service} has no method ${rpc} (methods: ${Object.keys(svc).join(', ')})`);
  if (md.requestStream || md.responseStream) throw bad('--method', method, 'is a streaming method; vigil drives unary methods');
  const rpcMethod = root.lookupService(service).methods[rpc] as protobuf.Method;
  rpcMethod.resolve();
  const requestType = rpcMethod.resolvedRequestType as protobuf.Type;
  return {
    path: md.path,
    name: `${service}/${rpc}`,
    encode: (body) => {
      const unknown = unknownFields(requestType, body, '');
      if (unknown) throw bad('--body', JSON.stringify(body).slice(0, 200), `${unknown} (field names as in the proto: ${requestType.name} has ${Object.keys(requestType.fields).join(', ')})`);
      try {
        return md.requestSerialize(body as object);
      } catch (err) {
        throw bad('--body', JSON.stringify(body).slice(0, 200), `does not encode as ${requestType.fullName}: ${(err as Error).message}`);
      }
    },
  };
}

/** The first key of `value` that `type` has no field (or oneof) for, as a path; undefined when all are known. */
function unknownFields(type: protobuf.Type, value: unknown, at: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${at || '(root)'} must be a JSON object for message ${type.name}`;
  for (const [key, v] of Object.entries(value)) {
    const field = type.fields[key];
    if (!field) {
      if (type.oneofs?.[key]) continue;
      return `${at}${key} is not a field of ${type.name}`;
    }
    field.resolve();
    if (!(field.resolvedType instanceof protobuf.Type) || v === null || v === undefined) continue;
    const sub = field.resolvedType;
    const items = field.map ? Object.values(v as object) : field.repeated && Array.isArray(v) ? v : [v];
    for (const item of items) {
      const found = unknownFields(sub, item, `${at}${key}.`);
      if (found) return found;
    }
  }
  return undefined;
}
