export * from './slo-schema.ts';
export * from './rule-types.ts';
export * from './decimal.ts';
export * from './promql-format.ts';
export * from './rule-groups.ts';
export * from './test-profile.ts';
export * from './generate.ts';
export type { GeneratedFile } from '../dashboards/generated-files.ts';
export { alertsErrors } from './errors.ts';
