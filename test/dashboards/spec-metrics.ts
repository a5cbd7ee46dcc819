/** The metric names of SPEC.md "Metric names", copied by hand: an independent list to check the dashboards against. */
export const SPEC_METRICS = [
  'vigil_upstream_request_duration_seconds', 'vigil_upstream_requests_total',
  'vigil_drift_mmd2', 'vigil_drift_p_value', 'vigil_drift_detected', 'vigil_drift_feature_ks_statistic',
  'vigil_drift_feature_p_value', 'vigil_drift_window_samples', 'vigil_drift_evaluation_duration_seconds',
  'vigil_parity_max_abs_diff', 'vigil_parity_agreement_ratio', 'vigil_reference_inference_duration_seconds',
  'vigil_memory_bytes', 'vigil_memory_growth_bytes_per_second', 'vigil_memory_leak_suspected',
  'vigil_memory_seconds_to_exhaustion', 'vigil_gpu_memory_used_bytes', 'vigil_gpu_memory_total_bytes',
  'vigil_gpu_utilization_ratio', 'vigil_gpu_temperature_celsius', 'vigil_gpu_collect_success',
  'vigil_loadtest_latency_seconds', 'vigil_loadtest_qps', 'vigil_loadtest_error_ratio',
  'vigil_loadtest_passed', 'vigil_loadtest_last_run_timestamp_seconds',
  // SPEC "Contract additions (2026-12)": the online detector's alarm, with its statistic and threshold (issue 11).
  'vigil_drift_alarm', 'vigil_drift_online_statistic', 'vigil_drift_online_threshold',
  // SPEC "Contract additions": whether the verdict can be trusted (issue 12).
  'vigil_drift_evaluation_errors_total', 'vigil_drift_last_evaluation_timestamp_seconds', 'vigil_drift_stale', 'vigil_drift_degraded',
] as const;

/** A metric name as used in PromQL, reduced to its SPEC name (histogram/summary suffixes dropped). */
export function specName(used: string): string {
  return used.replace(/_(bucket|sum|count)$/, '');
}
