/**
 * TLS failures of a connection (the server's certificate not trusted, not naming the host, expired;
 * the server requiring a client certificate): class `connect` whatever the transport wraps them in,
 * described by their OpenSSL/Node code and what to give (`--ca`, `--insecure`, `--cert/--key`).
 * Pure: an error, or the text grpc-js puts in an UNAVAILABLE status's details, in; a code and hint out.
 */

export interface TlsFailure { code: string; message: string; hint: string }

const UNTRUSTED = 'the server\'s certificate is not signed by a trusted CA: give --ca CA.pem (or --insecure to skip verification)';
const CLIENT_CERT = 'the server refused the client: it requires a client certificate signed by its CA, give --cert and --key';

/** Node's verification codes and OpenSSL alerts, with the message Node gives each (grpc-js passes only the message). */
const KNOWN: readonly { code: string; text: RegExp; hint: string }[] = [
  { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', text: /unable to verify the first certificate/i, hint: UNTRUSTED },
  { code: 'SELF_SIGNED_CERT_IN_CHAIN', text: /self[- ]signed certificate in certificate chain/i, hint: UNTRUSTED },
  { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', text: /^self[- ]signed certificate$|: self[- ]signed certificate$/i, hint: UNTRUSTED },
  { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', text: /unable to get local issuer certificate/i, hint: UNTRUSTED },
  { code: 'UNABLE_TO_GET_ISSUER_CERT', text: /unable to get issuer certificate/i, hint: UNTRUSTED },
  { code: 'CERT_UNTRUSTED', text: /certificate not trusted/i, hint: UNTRUSTED },
  { code: 'CERT_SIGNATURE_FAILURE', text: /certificate signature failure/i, hint: UNTRUSTED },
  { code: 'CERT_HAS_EXPIRED', text: /certificate has expired/i, hint: 'the server\'s certificate has expired (--insecure skips verification)' },
  { code: 'CERT_NOT_YET_VALID', text: /certificate is not yet valid/i, hint: 'the server\'s certificate is not valid yet (--insecure skips verification)' },
  { code: 'ERR_TLS_CERT_ALTNAME_INVALID', text: /does not match certificate's altnames|Hostname\/IP does not match/i, hint: 'the server\'s certificate does not name this host (--insecure skips verification)' },
  { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', text: /alert certificate required/i, hint: CLIENT_CERT },
  { code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', text: /alert bad certificate/i, hint: CLIENT_CERT },
  { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', text: /alert unknown ca/i, hint: 'the server does not trust the client certificate\'s CA (--cert/--key)' },
  { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', text: /alert handshake failure/i, hint: 'the TLS handshake failed (no common protocol or cipher, or a client certificate is required: --cert and --key)' },
  { code: 'ERR_SSL_WRONG_VERSION_NUMBER', text: /wrong version number/i, hint: 'the server does not speak TLS on this port (use http:// or grpc://)' },
];
const BY_CODE = new Map(KNOWN.map((k) => [k.code, k]));

/** The TLS failure anywhere in an error's `cause` chain, or undefined. */
export function tlsFailureOf(err: unknown): TlsFailure | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    const known = typeof code === 'string' ? BY_CODE.get(code) : undefined;
    if (known) return { code: known.code, message: shortOpenSsl(text), hint: known.hint };
    if (typeof code === 'string' && code.startsWith('ERR_SSL_')) return { code, message: shortOpenSsl(text), hint: 'the TLS handshake failed' };
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A TLS failure named in free text (grpc-js: "No connection established. Last error: Error: unable to verify the first certificate…"). */
export function tlsFailureInText(text: string): TlsFailure | undefined {
  const known = KNOWN.find((k) => k.text.test(text));
  if (!known) return undefined;
  const last = /Last error: (?:Error: )?(.*?)(?:\. Resolution note:.*)?$/s.exec(text)?.[1] ?? text;
  return { code: known.code, message: shortOpenSsl(last), hint: known.hint };
}

/** OpenSSL's "80CC…:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/…" → "tlsv13 alert certificate required". */
function shortOpenSsl(message: string): string {
  const m = /SSL routines:[^:]*:([^:]+)/.exec(message);
  return m ? (m[1] as string).trim() : message.trim();
}

/** An Error carrying the failure's code, for the transports that only have text (gRPC). */
export function tlsError(f: TlsFailure): Error {
  return Object.assign(new Error(f.message), { code: f.code });
}
