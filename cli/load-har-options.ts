import type { Command } from 'commander';
import { collect } from './program.ts';

/** Filters of a HAR replay (`--har`): keep the API calls of a browser recording, leave out the rest. */
export function addHarFilterOptions(cmd: Command): Command {
  return cmd
    .option('--har-include-host <host>', 'with --har: replay only entries to this host (api.example.com, host:port, *.example.com; repeatable, comma lists)', collect)
    .option('--har-exclude-type <type>', 'with --har: leave out entries whose response MIME type (image/*, text/css) or URL extension (.js, png) matches (repeatable, comma lists)', collect);
}
