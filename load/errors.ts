import { defineErrors } from '../common/errors.ts';

/** Coded errors of the load engine (`vigil load run` and everything that calls `runLoad`). */
export const loadErrors = defineErrors({
  VIGIL_LOAD_BAD_RATE: { message: 'rate {value} is not valid: use a positive number of requests per second, e.g. --rate 200' },
  VIGIL_LOAD_BAD_CONNECTIONS: { message: 'connections {value} is not valid: use a positive whole number, e.g. --connections 10' },
  VIGIL_LOAD_BAD_NUMBER: { message: '{name} {value} is not valid: {rule}' },
  VIGIL_LOAD_BAD_STAGES: { message: 'stages {value} is not valid: {rule}; use "30s:100,60s:500,30s:0" (duration:target rate)' },
  VIGIL_LOAD_CONFLICTING_MODEL: { message: 'choose one workload model: {given} were all given (use one of --rate, --connections, --stages, --timing original)' },
  VIGIL_LOAD_NO_TARGET: { message: 'no target: give --target URL (or `target:` in the scenario), or absolute `url`s in the replay file' },
  VIGIL_LOAD_BAD_TARGET: { message: 'target {value} is not an http:// or https:// URL' },
  VIGIL_LOAD_ENV_UNSET: { message: '{file}: {names} not set in the environment; set it, or give a default: ${NAME:-default}' },
  VIGIL_LOAD_TWO_TARGETS: { message: 'two targets: the URL argument {url} and --target {target}; give one (the URL argument, or --target with a scenario file)' },
  VIGIL_LOAD_CONFLICTING_SOURCE: { message: 'choose one traffic source: {given} were all given' },
  VIGIL_LOAD_BAD_HEADER: { message: 'header {value} is not valid: use "Name: value"' },
  VIGIL_LOAD_BAD_REQUEST_HEADER: { message: 'request {index} ({endpoint}): header {name} cannot be sent: {rule}; the run was not started' },
  VIGIL_LOAD_BAD_BODY: { message: 'body {value} is not valid: {rule} (use @file for a file, or a JSON text)' },
  VIGIL_LOAD_REPLAY_NOT_FOUND: { message: 'replay file {file} cannot be read: {reason}' },
  VIGIL_LOAD_REPLAY_MALFORMED: { message: 'replay file is malformed, the run was not started: {problems}' },
  VIGIL_LOAD_REPLAY_EMPTY: { message: 'replay file {file} holds no requests' },
  VIGIL_LOAD_REPLAY_UNTIMED: { message: '--timing original needs a timed source: every line of {file} must carry "t" (seconds since the start of the recording)' },
  VIGIL_LOAD_BAD_TIMING: { message: 'timing {value} is not valid: use --timing original (or leave it out)' },
  VIGIL_LOAD_HAR_UNAVAILABLE: { message: 'HAR sources are not built into this version (--har {file}); use --replay FILE.jsonl' },
  VIGIL_LOAD_BAD_THRESHOLD: { message: 'threshold {expr} is not valid: {rule}; e.g. p99<250ms, mean<=0.2s, error_rate<1%, qps>100' },
  VIGIL_LOAD_BAD_SLO: { message: 'SLO {expr} is not valid: {rule}' },
  VIGIL_LOAD_BAD_ARRIVAL: { message: '{name} {value} is not valid: {rule}' },
  VIGIL_LOAD_NO_RESPONSE: { message: 'none of the {requests} requests got a response — check the target is up and reachable: {causes}' },
  VIGIL_LOAD_HISTOGRAM_INVALID: { message: 'encoded histogram cannot be decoded: {reason}' },
});
