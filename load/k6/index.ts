export { importK6Summary, type K6ImportOptions } from './import.ts';
export { exportK6, dur as k6Duration, type K6Export, type K6ExportOptions } from './export.ts';
export { toK6Threshold, k6Thresholds, type K6Threshold } from './thresholds.ts';
export { k6TestRunManifest, type TestRunOptions } from './operator.ts';
