import { defineErrors } from '../common/errors.ts';

/**
 * Coded errors of replay sources (HAR), result files, merge, compare and k6 interop.
 * Documented in docs/errors.md, section "load" (the rows after the engine's).
 */
export const replayErrors = defineErrors({
  VIGIL_HAR_UNREADABLE: { message: 'HAR file {file} cannot be read: {reason}' },
  VIGIL_HAR_INVALID: { message: 'HAR file {file} is malformed, the run was not started: {problems}' },
  VIGIL_HAR_EMPTY: { message: '{file}: log.entries is empty; a HAR replay needs at least one request' },
  VIGIL_HAR_ALL_SKIPPED: { message: '{file}: all {total} entries were skipped ({skipped}); a HAR replay needs at least one request' },
  VIGIL_HAR_BAD_FILTER: { message: '{flag} {value} is not valid: use {rule}' },
  VIGIL_RESULT_UNREADABLE: { message: 'result file {file} cannot be read: {reason}' },
  VIGIL_RESULT_INVALID: { message: '{file}: not a vigil.load.result/v1 file: {rule}' },
  VIGIL_MERGE_TOO_FEW: { message: 'load merge needs at least two result files, got {count}' },
  VIGIL_MERGE_NO_HISTOGRAM: { message: '{file} has no encoded histogram ({reason}); exact merging adds histograms, so every shard must carry one' },
  VIGIL_K6_SUMMARY_INVALID: { message: '{file}: not a k6 summary: {rule}' },
  VIGIL_K6_EXPORT_UNSUPPORTED: { message: 'cannot export to k6: {reason}' },
  VIGIL_K6_BAD_PARALLELISM: { message: '--parallelism {value} must be a whole number of at least 1' },
});
