import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadErrors } from '../load/errors.ts';
import type { TlsOptions } from '../load/options.ts';

export interface TlsFlags { insecure?: boolean; ca?: string; cert?: string; key?: string }

/**
 * `--insecure`, `--ca FILE`, `--cert FILE`, `--key FILE` → the client's TLS options, files read
 * once before the run. `--cert` and `--key` go together (mutual TLS). Undefined when none is given.
 */
export function tlsFromFlags(f: TlsFlags): TlsOptions | undefined {
  if (!f.insecure && f.ca === undefined && f.cert === undefined && f.key === undefined) return undefined;
  if ((f.cert === undefined) !== (f.key === undefined)) {
    throw loadErrors.VIGIL_LOAD_BAD_TLS({ flag: f.cert === undefined ? '--key' : '--cert', file: f.cert ?? f.key, reason: 'needs its pair: give both --cert and --key' });
  }
  const read = (flag: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw loadErrors.VIGIL_LOAD_BAD_TLS({ flag, file, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
    }
  };
  const tls: TlsOptions = {};
  if (f.insecure) tls.rejectUnauthorized = false;
  if (f.ca !== undefined) tls.ca = read('--ca', f.ca);
  if (f.cert !== undefined) tls.cert = read('--cert', f.cert);
  if (f.key !== undefined) tls.key = read('--key', f.key);
  return tls;
}

/** Adds `--insecure`, `--ca`, `--cert`, `--key` (`load run` and `capacity` share them): https://, h2 and grpcs:// targets. */
export function addTlsOptions(cmd: Command): Command {
  return cmd
    .option('-k, --insecure', 'TLS (https://, grpcs://): do not verify the server certificate (as curl -k; prefer --ca)')
    .option('--ca <file>', 'TLS (https://, grpcs://): trust the CA certificates in this PEM file (instead of Node\'s bundle)')
    .option('--cert <file>', 'TLS (https://, grpcs://): client certificate (PEM) for mutual TLS; with --key')
    .option('--key <file>', 'TLS (https://, grpcs://): private key (PEM) of --cert');
}
