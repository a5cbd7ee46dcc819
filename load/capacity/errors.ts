import { defineErrors } from '../../common/errors.ts';

/** Errors of `vigil capacity`. */
export const capacityErrors = defineErrors({
  VIGIL_CAPACITY_BAD_RATE: { message: '{name} {value} is not valid: it must be a number > 0{rule}' },
  VIGIL_CAPACITY_BAD_RANGE: { message: '--start-rate {start} must be below --max-rate {max}' },
  VIGIL_CAPACITY_BAD_OPTION: { message: '{name} {value} is not valid: {rule}' },
  VIGIL_CAPACITY_NO_SLO: { message: 'capacity needs an SLO: give --slo (e.g. p99<300ms) or thresholds in the scenario file' },
});
