import { defineErrors } from '../../common/errors.ts';

/** Errors of the leak watcher (`vigil watch`, `vigil soak`, `createWatcher`). */
export const watchErrors = defineErrors({
  VIGIL_WATCH_NO_TARGET: { message: 'nothing to watch: give --watch-pid PID, --watch-metrics-url URL, --gpu, --dcgm-url URL or --watch-self' },
  VIGIL_WATCH_BAD_PID: { message: '{name} {value} is not a process id: use a positive integer' },
  VIGIL_WATCH_BAD_URL: { message: '{name} {value} is not an http(s) URL' },
  VIGIL_WATCH_BAD_METRIC: { message: '--watch-metric {value} is not a metric selector: use name or name{label="value",...}' },
  VIGIL_WATCH_BAD_RATE: { message: '{name} {value} is not a growth rate: use a size per time unit, e.g. 1MiB/min, 10MB/s, 100MB/h' },
  VIGIL_WATCH_BAD_OPTION: { message: '{name} {value} is invalid: {rule}' },
  VIGIL_WATCH_JSON_NEEDS_DURATION: { message: '--json prints one verdict at the end, so it needs --duration (e.g. --duration 5m)' },
  VIGIL_WATCH_NO_SAMPLES: { message: 'vigil soak recorded no memory sample, so there is no verdict: {reasons}' },
  VIGIL_WATCH_LISTEN: { message: 'cannot listen on {host}:{port}: {reason}' },
});
