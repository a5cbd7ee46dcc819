import { defineErrors } from '../../common/errors.ts';

/** Errors of `vigil schedule`. */
export const scheduleErrors = defineErrors({
  VIGIL_SCHEDULE_BAD_CRON: { message: 'scenario {scenario}: cron {cron} is not valid: {reason}' },
  VIGIL_SCHEDULE_DUPLICATE_SCENARIO: { message: 'scenario name {name} is used twice; names must be unique (they name history folders and metric labels)' },
  VIGIL_SCHEDULE_NO_CONFIG: { message: 'give --config schedule.yaml' },
  VIGIL_SCHEDULE_CRON_SECONDS: { message: 'scenario {scenario}: cron {cron} has a seconds field; Kubernetes CronJobs take 5 fields (minute resolution)' },
  VIGIL_SCHEDULE_UNKNOWN_SCENARIO: { message: 'no scenario named {name} in {file}; it has: {names}' },
  VIGIL_SCHEDULE_BAD_RUNS: { message: '--runs {value} is not valid: use a whole number above 0' },
  VIGIL_SCHEDULE_BAD_BASELINE: { message: 'baseline file {file} cannot be used: {reason}' },
});
