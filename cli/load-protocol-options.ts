import type { Command } from 'commander';

/** Flags of the wire protocol of `load run`: HTTP/2 (and gRPC, below). */
export function addProtocolOptions(cmd: Command): Command {
  return cmd
    .option('--http2', 'send over HTTP/2: h2 with ALPN for https:// targets, h2c with prior knowledge for http:// (default HTTP/1.1)')
    .option('--max-streams <n>', 'with --http2: concurrent streams per connection; requests beyond wait, timed from their intended start (default 100; --max-connections sets the connections, default 1)');
}
