import { defineErrors } from '../common/errors.ts';

/** Errors of `vigil alerts generate`. Config-file problems use the common VIGIL_CONFIG_* codes. */
export const alertsErrors = defineErrors({
  VIGIL_ALERTS_BAD_DECIMAL: { message: '{name} {value} is not a plain decimal number: write it like 99.9 or 14.4' },
  VIGIL_ALERTS_OUT_NOT_DIRECTORY: { message: '--out {path} exists and is not a directory: give a directory for the rule files' },
});
