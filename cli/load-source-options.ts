import type { Command } from 'commander';
import { collect } from './program.ts';

/** Adds the flags that say what traffic to send (`load run` and `capacity` share them). Parsed, they
 * land under the same names as the fields of the engine's `LoadInput`, so the flags object is the input. */
export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('--target <url>', 'base URL of the endpoint, e.g. http://127.0.0.1:8080')
    .option('--method <method>', 'HTTP method of the single request (default GET, POST with --body)')
    .option('--path <path>', 'path of the single request (default /)')
    .option('--header <header>', "request header 'Name: value' (repeatable)", collect)
    .option('--body <body>', 'request body: @file (raw bytes) or a JSON text')
    .option('--name <name>', 'scenario/endpoint name for reports')
    .option('--replay <file.jsonl>', 'replay requests from a JSONL file (one request per line)')
    .option('--har <file.har>', 'replay requests from an HTTP Archive');
}
