import { defineErrors } from '../../common/errors.ts';

/** Coded errors of the drift engine and `vigil drift test` (documented in docs/errors.md). */
export const driftErrors = defineErrors({
  VIGIL_DRIFT_EMPTY_SAMPLE: { message: '{what} has no rows: a drift test needs at least {min} samples on each side' },
  VIGIL_DRIFT_NOT_FINITE: { message: '{what} holds a non-finite value ({value}) at row {row}, column {column}: drift tests need finite numbers' },
  VIGIL_DRIFT_SHAPE_MISMATCH: { message: 'reference has {refCols} features but current has {curCols}: both datasets need the same columns' },
  VIGIL_DRIFT_BAD_OPTION: { message: '{name} {value} is invalid: {rule}' },
  VIGIL_DRIFT_BAD_FILE: { message: '{file}:{line}: {reason}' },
  VIGIL_DRIFT_UNKNOWN_FEATURE: { message: 'feature {feature} is not in {file}: columns are {columns}' },
});
