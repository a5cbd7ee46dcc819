import { defineErrors } from '../common/errors.ts';

/** Errors of `vigil dashboards generate`. */
export const dashboardsErrors = defineErrors({
  VIGIL_DASHBOARDS_OUT_NOT_DIRECTORY: { message: '--out {path} exists and is not a directory: give a directory for the dashboards and provisioning files' },
  VIGIL_DASHBOARDS_BAD_URL: { message: '--prometheus-url {value} is not an http(s) URL, e.g. http://prometheus:9090' },
  VIGIL_DASHBOARDS_BAD_PATH: { message: '--dashboards-path {value} must be an absolute path (where Grafana reads the dashboard JSON files)' },
});
