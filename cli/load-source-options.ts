import type { Command } from 'commander';
import { collect } from './program.ts';

/** Adds the flags that say what traffic to send (`load run` and `capacity` share them). Parsed, they
 * land under the same names as the fields of the engine's `LoadInput`, so the flags object is the input. */
export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('--target <url>', 'base URL of the endpoint, e.g. http://127.0.0.1:8080')
    .option('-m, --method <method>', 'HTTP method of the single request (default GET, POST with --body)')
    .option('--path <path>', 'path of the single request (default /)')
    .option('-H, --header <header>', "request header 'Name: value' (repeatable)", collect)
    .option('-b, --body <body>', 'request body: @file (raw bytes) or a JSON text')
    .option('--name <name>', 'scenario/endpoint name for reports')
    .option('--replay <file.jsonl>', 'replay requests from a JSONL file (one request per line)')
    .option('--har <file.har>', 'replay requests from an HTTP Archive');
}

/** Flags of how requests arrive and are judged, beyond what is sent (`load run` and `capacity` share them). */
export function addArrivalOptions(cmd: Command): Command {
  return cmd
    .option('--arrival <kind>', 'open models: constant (evenly spaced, default), poisson, or gamma arrivals at the offered rate')
    .option('--burstiness <k>', 'with --arrival gamma: the shape K of the gaps (1 = Poisson, below 1 burstier, above 1 more regular; default 1)')
    .option('--seed <n>', 'with --arrival poisson|gamma: seed of the arrival times (default: random, echoed in config.seed)')
    .option('--deadline <d>', 'total per-request deadline from the intended start, e.g. 30s; a request still running then is a timeout');
}
