export * from './generate.ts';
export * from './datasource.ts';
export { GENERATED_NOTE } from './boards/common.ts';
export { dashboardsErrors } from './errors.ts';
export type { GeneratedFile } from './generated-files.ts';
