import { defineErrors } from '../common/errors.ts';

/** Coded errors of the monitor service (`vigil monitor serve`), with their HTTP statuses. */
export const monitorErrors = defineErrors({
  VIGIL_MONITOR_NO_TOKENS: { message: 'no bearer token is configured (VIGIL_VIEWER_TOKEN, VIGIL_INGEST_TOKEN, VIGIL_ADMIN_TOKEN or --tokens-file); refusing to start an open service — pass --insecure-no-auth to run without authentication' },
  VIGIL_MONITOR_BAD_TOKENS_FILE: { message: 'tokens file {file}: {reason}' },
  VIGIL_MONITOR_BAD_OPTION: { message: '{name} {value} is invalid: {rule}' },
  VIGIL_MONITOR_PORT_IN_USE: { message: 'port {port} on {host} is already in use: stop the other process or choose another --port (0 picks a free one)' },
  VIGIL_MONITOR_LISTEN_FAILED: { message: 'cannot listen on {host}:{port}: {reason}' },
  VIGIL_MONITOR_START_FAILED: { message: 'the monitor could not start: {reason} (details in the log)' },
  VIGIL_MONITOR_REFERENCE_UNREADABLE: { message: 'reference set {file} cannot be read: {reason}' },
  VIGIL_MONITOR_REFERENCE_INVALID: { message: 'reference set {file}: {reason}' },
  VIGIL_MONITOR_UNAUTHORIZED: { message: 'a valid bearer token is required (Authorization: Bearer <token>)', status: 401 },
  VIGIL_MONITOR_FORBIDDEN: { message: 'this token has role {role}; {route} needs role {needed}', status: 403 },
  VIGIL_MONITOR_NOT_FOUND: { message: 'no route {method} {path}', status: 404 },
  VIGIL_MONITOR_BODY_TOO_LARGE: { message: 'request body is larger than the limit of {limit} bytes', status: 413 },
  VIGIL_MONITOR_UNSUPPORTED_MEDIA_TYPE: { message: 'content type {contentType} is not supported: send application/json', status: 415 },
  VIGIL_MONITOR_BAD_JSON: { message: 'request body is not valid JSON: {reason}', status: 400 },
  VIGIL_MONITOR_BAD_BODY: { message: '{path}: {rule}', status: 400 },
  VIGIL_MONITOR_UNKNOWN_FIELD: { message: 'unknown field {field}: allowed fields are {allowed}', status: 400 },
  VIGIL_MONITOR_WRONG_SHAPE: { message: '{path} has {actual} values; the {what} has {expected} features', status: 400 },
  VIGIL_MONITOR_UNKNOWN_FEATURE: { message: '{path} names feature {feature}, which the reference set does not have (features: {features})', status: 400 },
  VIGIL_MONITOR_MISSING_FEATURE: { message: '{path} lacks feature {feature}', status: 400 },
  VIGIL_MONITOR_NON_FINITE: { message: '{path} is {value}: every value must be a finite number within float32 range (|x| ≤ 3.4028234663852886e38), as the reference model and the drift engine read float32', status: 400 },
  VIGIL_MONITOR_ROW_COUNT_MISMATCH: { message: '{field} has {actual} rows but inputs has {expected}: one per input row', status: 400 },
  VIGIL_MONITOR_UPSTREAM_ERROR: { message: 'upstream {upstream} failed: {reason}', status: 502 },
  VIGIL_MONITOR_UPSTREAM_TIMEOUT: { message: 'upstream {upstream} did not answer within {timeoutMs} ms', status: 504 },
  VIGIL_MONITOR_INTERNAL: { message: 'internal error: {reason}', status: 500 },
});
