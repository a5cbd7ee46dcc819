import { defineErrors } from './errors.ts';

/** Errors raised by the shared helpers (durations, sizes, config files) and the CLI itself. */
export const commonErrors = defineErrors({
  VIGIL_CLI_USAGE: { message: '{message}' },
  VIGIL_CLI_UNKNOWN_OPTION: { message: 'unknown option {option}; see --help for the options of this command' },
  VIGIL_CLI_UNKNOWN_COMMAND: { message: 'unknown command {command}; see vigil --help' },
  VIGIL_BAD_DURATION: { message: '{name} {value} is not a duration: use a number with a unit (ms, s, m, h), e.g. 30s, 1m30s, 250ms' },
  VIGIL_BAD_SIZE: { message: '{name} {value} is not a size: use a number with a unit (B, KB, MB, GB, KiB, MiB, GiB), e.g. 4GiB' },
  VIGIL_BAD_PERCENT: { message: '{name} {value} is not a percentage: use e.g. 10% or 0.1' },
  VIGIL_CONFIG_NOT_FOUND: { message: 'config file {file} cannot be read: {reason}' },
  VIGIL_CONFIG_PARSE: { message: '{file}: not valid {format}: {reason}' },
  VIGIL_OUTPUT_NOT_WRITABLE: { message: '{flag} {file} cannot be written ({reason}); nothing was started — choose a writable path' },
  VIGIL_OUTPUT_WRITE_FAILED: { message: '{flag} {file} could not be written ({reason}); the {what} was saved to {fallback} instead' },
  VIGIL_CONFIG_INVALID: { message: '{file}: {issues}' },
});
