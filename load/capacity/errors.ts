import { defineErrors } from '../../common/errors.ts';

/** Errors of `vigil capacity`. */
export const capacityErrors = defineErrors({
  VIGIL_CAPACITY_BAD_OPTION: { message: '{name} {value} is not valid: {rule}' },
  VIGIL_CAPACITY_BAD_RANGE: { message: '--start-rate {start} must be below --max-rate {max}' },
  VIGIL_CAPACITY_BAD_SLO: { message: 'SLO {expr} is not valid: {rule}' },
});
