/**
 * A traffic source yields the requests a load run sends. Sources are parsed and validated
 * completely before a run starts (a malformed file never starts a run), so `next()` cannot fail.
 *
 * Implementations: a single request (flags or scenario `requests:`), JSONL replay, HAR replay.
 */

export interface PreparedRequest {
  method: string;
  /** Absolute URL, or a path resolved against the run's target. */
  url: string;
  headers: Record<string, string>;
  /** Body bytes, already encoded (JSON, string or base64 decoded). */
  body: Uint8Array | undefined;
  /** Endpoint group: `name`, or method + path template (`POST /users/:id`). */
  endpoint: string;
  /**
   * Seconds since the start of the recording, when the source keeps timing
   * (`--timing original`); undefined otherwise.
   */
  t?: number;
}

export interface TrafficSource {
  /** Human-readable description for progress lines and the result's config echo. */
  readonly description: string;
  /** Number of distinct requests (1 for a single request). */
  readonly size: number;
  /** True when the requests carry recorded timestamps (`t`), so `--timing original` is possible. */
  readonly timed: boolean;
  /** The i-th request to send; sources cycle (i modulo size) unless the caller stops. */
  at(index: number): PreparedRequest;
  /** Entries of the recording left out, by reason (HAR: CONNECT tunnels, no response, filtered out). */
  readonly skipped?: Readonly<Record<string, number>>;
}
