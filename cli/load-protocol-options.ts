import type { Command } from 'commander';

/** Flags of the wire protocol of `load run`: HTTP/2, gRPC, the built-in Open Inference Protocol. */
export function addProtocolOptions(cmd: Command): Command {
  return cmd
    .option('--http2', 'send over HTTP/2: h2 with ALPN for https:// targets, h2c with prior knowledge for http:// (default HTTP/1.1)')
    .option('--max-streams <n>', 'with --http2: concurrent streams per connection; requests beyond wait, timed from their intended start (default 100; --max-connections sets the connections, default 1)')
    .option('--proto <file>', 'with a grpc:// or grpcs:// --target: the .proto file of --method package.Service/Method; --body is its request as JSON (proto field names)')
    .option('--protocol <name>', 'kserve-v2: the Open Inference Protocol built in (ModelInfer over gRPC for grpc:// targets, POST /v2/models/NAME/infer for http://); needs --model and --inputs')
    .option('--model <name>', 'with --protocol kserve-v2: the model name')
    .option('--model-version <v>', 'with --protocol kserve-v2: the model version (default: the server picks)')
    .option('--inputs <rows>', 'with --protocol kserve-v2: @rows.jsonl (one V2 request {"inputs": [...]}, row [1, 2] or batch [[1, 2], ...] per line) or one JSON request');
}
